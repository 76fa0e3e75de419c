#!/bin/sh
# run-bench.sh - `make bench`: each kernel (NAME.yvm with its C twin
# NAME.c) runs under yvm-run, as C built with gcc -O2 and as C built with
# tcc, side by side in one run; the table gives the best of $BENCH_RUNS
# CPU times (user + system, measured by timeit.c) and the interpreter's
# time as a ratio to each. All three must print the same output, or the
# kernel is reported as wrong.
#
# Environment: srcdir, builddir (from make), CC (gcc), TCC (tcc, optional),
# BENCH_RUNS (default 3), BENCH_SCALE=small for a quick run.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
CC=${CC:-gcc}
TCC=${TCC:-$(command -v tcc || true)}
runs=${BENCH_RUNS:-3}
bench=$srcdir/testsuite/bench
out=$builddir/testsuite/out/bench  # removed by make clean
yvm=$builddir/yvm-run
mkdir -p "$out"

# kernel and its argument
if [ "${BENCH_SCALE:-}" = small ]; then
    kernels="fib:27 sieve:2000000 matmul:120 floop:5000000"
else
    kernels="fib:35 sieve:50000000 matmul:400 floop:100000000"
fi

if grep -q '^SAN_FLAGS = -fsanitize' "$builddir/Makefile" 2> /dev/null; then
    echo "note: this build has sanitizers on; configure without --enable-sanitizers for real figures"
fi

# best_ms CMD...: the best CPU time of $runs runs, in ms; the output of
# the last run is left in $out/last.
best_ms() {
    best=
    i=0
    while [ $i -lt "$runs" ]; do
        "$out/timeit" "$out/times" "$@" > "$out/last" 2>&1
        read -r cpu wall st < "$out/times"
        [ "$st" -eq 0 ] || { echo "FAILED ($st): $*" >&2; cat "$out/last" >&2; }
        if [ -z "$best" ] || [ "$cpu" -lt "$best" ]; then best=$cpu; fi
        i=$((i + 1))
    done
    echo $((best / 1000))
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

"$CC" -O2 -o "$out/timeit" "$bench/timeit.c" || exit 1
printf '%-8s %-10s %10s %10s %10s %9s %9s\n' kernel arg yvm-run gcc-O2 tcc yvm/gcc yvm/tcc
status=0
for kv in $kernels; do
    k=${kv%%:*}
    arg=${kv#*:}
    "$CC" -O2 -o "$out/$k.gcc" "$bench/$k.c" || exit 1
    have_tcc=no
    if [ -n "$TCC" ] && "$TCC" -o "$out/$k.tcc" "$bench/$k.c" 2> /dev/null; then
        have_tcc=yes
    fi
    t_yvm=$(best_ms "$yvm" "$bench/$k.yvm" "$arg"); cp "$out/last" "$out/$k.yvm.out"
    t_gcc=$(best_ms "$out/$k.gcc" "$arg"); cp "$out/last" "$out/$k.gcc.out"
    t_tcc=-
    if [ $have_tcc = yes ]; then
        t_tcc=$(best_ms "$out/$k.tcc" "$arg"); cp "$out/last" "$out/$k.tcc.out"
    fi
    same=yes
    cmp -s "$out/$k.yvm.out" "$out/$k.gcc.out" || same=no
    [ $have_tcc = yes ] && ! cmp -s "$out/$k.yvm.out" "$out/$k.tcc.out" && same=no
    r_tcc=-
    [ $have_tcc = yes ] && r_tcc=$(ratio "$t_yvm" "$t_tcc")
    printf '%-8s %-10s %8sms %8sms %8sms %9s %9s\n' "$k" "$arg" "$t_yvm" "$t_gcc" \
        "$t_tcc" "$(ratio "$t_yvm" "$t_gcc")" "$r_tcc"
    if [ $same = no ]; then
        echo "  WRONG: the outputs differ:"
        cat "$out/$k.yvm.out" "$out/$k.gcc.out"
        status=1
    fi
done
exit $status
