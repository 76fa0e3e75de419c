#!/bin/sh
# bench.sh - rule proving time, uncached (`make bench`, docs/performance.md):
#   bench.sh YVM-PROVE FILE.yvmr...
# Proves every rule afresh (--no-cache) with 1 worker and with one per
# CPU, and prints the wall-clock and CPU time in all and per rule
# instance (one rule at one width combination: one Z3 query, or a few
# when the prover splits on a constant).
prove=$1
shift
ms() { date +%s%N | sed 's/......$//'; }
for jobs in 1 "$(nproc 2>/dev/null || echo 2)"; do
    t0=$(ms)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%U %S' -o bench-prover.cpu "$prove" --no-cache -q -j "$jobs" "$@" \
            > bench-prover.out 2>&1
    else
        "$prove" --no-cache -q -j "$jobs" "$@" > bench-prover.out 2>&1
    fi
    status=$?
    t1=$(ms)
    summary=$(tail -n 1 bench-prover.out)
    n=$(echo "$summary" | sed -n 's/.*(\([0-9]*\) instances.*/\1/p')
    rules=$(echo "$summary" | sed -n 's/^\([0-9]*\) rules:.*/\1/p')
    [ $status -eq 0 ] && [ -n "$n" ] && [ "$n" -gt 0 ] || { echo "prover bench failed: $summary"; exit 1; }
    wall=$((t1 - t0))
    cpu=
    if [ -s bench-prover.cpu ]; then
        cpu=$(awk -v n="$n" '{ printf "; CPU %.1f s in all (workers included), %.1f ms per instance", $1 + $2, ($1 + $2) * 1000 / n }' bench-prover.cpu)
    fi
    echo "prover, -j $jobs: $rules rules, $n instances uncached: $wall ms wall, $((wall / n)).$(( (wall * 10 / n) % 10 )) ms per instance$cpu"
done
rm -f bench-prover.out bench-prover.cpu
