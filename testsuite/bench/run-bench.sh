#!/bin/sh
# run-bench.sh - `make bench`. Each kernel (NAME.yvm with its C twin
# NAME.c) runs under yvm-run, compiled by yvm-cc -O1, as C built with
# gcc -O2, gcc -O0 and tcc, side by side in one run; the table gives the
# best of $BENCH_RUNS CPU times (user + system, measured by timeit.c) and
# each engine's time as a ratio to gcc -O2, with the geometric mean of the
# ratios at the bottom. Every engine must print the same output, or the
# kernel is reported as wrong. Then:
#   - the optimiser's effect: each kernel through yvm-opt -O2 first, then
#     yvm-run and yvm-cc -O1 (ratio to the same engine without it);
#   - compile throughput: a module of $BENCH_FUNCS small loop functions
#     (gen-funcs.sh, and the same in C) compiled by yvm-cc -c (-O0, -O1),
#     tcc -c and gcc -O0 -c, and optimised by yvm-opt -O2 (also on
#     gen-opt-funcs.sh's front-end-shaped functions), in ms per 1,000
#     functions.
# A missing yvm-cc, yvm-opt or tcc leaves its column out with a note.
#
# Environment: srcdir, builddir (from make), CC (gcc), TCC (tcc, optional),
# BENCH_RUNS (default 3), BENCH_SCALE=small for a quick run, BENCH_FUNCS
# (default 3000).
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-.}
CC=${CC:-gcc}
TCC=${TCC:-$(command -v tcc || true)}
runs=${BENCH_RUNS:-3}
nfuncs=${BENCH_FUNCS:-3000}
bench=$srcdir/testsuite/bench
out=$builddir/testsuite/out/bench  # removed by make clean
yvm=$builddir/yvm-run
ycc=$builddir/yvm-cc
yopt=$builddir/yvm-opt
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
have_cc=yes
[ -x "$ycc" ] || { have_cc=no; echo "note: yvm-cc is not built: no native column"; }
have_opt=yes
[ -x "$yopt" ] || { have_opt=no; echo "note: yvm-opt is not built: its lines are skipped"; }
[ -n "$TCC" ] || echo "note: tcc not found: no tcc column"

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
# geomean FILE: the geometric mean of the numbers in FILE ("-" if none)
geomean() {
    awk '$1 != "-" && $1 > 0 { s += log($1); n++ } END { if (n) printf "%.2fx", exp(s / n); else print "-" }' "$1"
}

"$CC" -O2 -o "$out/timeit" "$bench/timeit.c" || exit 1
printf '%-8s %-10s %9s %9s %9s %9s %9s   %s\n' kernel arg yvm-run yvm-cc gcc-O2 gcc-O0 tcc \
    "ratio to gcc -O2: yvm-run yvm-cc gcc-O0 tcc"
status=0
: > "$out/r.run"; : > "$out/r.cc"; : > "$out/r.gcc0"; : > "$out/r.tcc"
: > "$out/r.optrun"; : > "$out/r.optcc"
for kv in $kernels; do
    k=${kv%%:*}
    arg=${kv#*:}
    "$CC" -O2 -o "$out/$k.gcc" "$bench/$k.c" || exit 1
    "$CC" -O0 -o "$out/$k.gcc0" "$bench/$k.c" || exit 1
    have_tcc=no
    if [ -n "$TCC" ] && "$TCC" -o "$out/$k.tcc" "$bench/$k.c" 2> /dev/null; then
        have_tcc=yes
    fi
    t_yvm=$(best_ms "$yvm" "$bench/$k.yvm" "$arg"); cp "$out/last" "$out/$k.yvm.out"
    t_gcc=$(best_ms "$out/$k.gcc" "$arg"); cp "$out/last" "$out/$k.gcc.out"
    t_gcc0=$(best_ms "$out/$k.gcc0" "$arg"); cp "$out/last" "$out/$k.gcc0.out"
    same=yes
    cmp -s "$out/$k.yvm.out" "$out/$k.gcc.out" || same=no
    cmp -s "$out/$k.gcc0.out" "$out/$k.gcc.out" || same=no
    t_tcc=-
    if [ $have_tcc = yes ]; then
        t_tcc=$(best_ms "$out/$k.tcc" "$arg"); cp "$out/last" "$out/$k.tcc.out"
        cmp -s "$out/$k.tcc.out" "$out/$k.gcc.out" || same=no
    fi
    t_cc=-
    if [ $have_cc = yes ]; then
        if "$ycc" -O1 "$bench/$k.yvm" -o "$out/$k.ycc" 2> "$out/$k.ycc.err"; then
            t_cc=$(best_ms "$out/$k.ycc" "$arg"); cp "$out/last" "$out/$k.ycc.out"
            cmp -s "$out/$k.ycc.out" "$out/$k.gcc.out" || same=no
        else
            echo "  yvm-cc failed on $k.yvm:"; head -n 3 "$out/$k.ycc.err"
            status=1
        fi
    fi
    r_run=$(ratio "$t_yvm" "$t_gcc"); r_cc=$(ratio "$t_cc" "$t_gcc")
    r_gcc0=$(ratio "$t_gcc0" "$t_gcc"); r_tcc=$(ratio "$t_tcc" "$t_gcc")
    echo "$r_run" >> "$out/r.run"; echo "$r_cc" >> "$out/r.cc"
    echo "$r_gcc0" >> "$out/r.gcc0"; echo "$r_tcc" >> "$out/r.tcc"
    printf '%-8s %-10s %7sms %7sms %7sms %7sms %7sms   %s %s %s %s\n' "$k" "$arg" "$t_yvm" "$t_cc" \
        "$t_gcc" "$t_gcc0" "$t_tcc" "$r_run" "$r_cc" "$r_gcc0" "$r_tcc"
    if [ $same = no ]; then
        echo "  WRONG: the outputs differ:"
        for f in "$out/$k".*.out; do printf '  %s: ' "$(basename "$f")"; cat "$f"; done
        status=1
    fi

    if [ $have_opt = yes ]; then
        if "$yopt" "$bench/$k.yvm" -O2 -o "$out/$k.opt.yvm" 2> "$out/$k.opt.err"; then
            t_orun=$(best_ms "$yvm" "$out/$k.opt.yvm" "$arg"); cp "$out/last" "$out/$k.orun.out"
            cmp -s "$out/$k.orun.out" "$out/$k.gcc.out" || { echo "  WRONG: yvm-opt -O2 output differs"; status=1; }
            echo "$(ratio "$t_orun" "$t_yvm")" >> "$out/r.optrun"
            t_occ=-
            if [ $have_cc = yes ] && "$ycc" -O1 "$out/$k.opt.yvm" -o "$out/$k.occ" 2> /dev/null; then
                t_occ=$(best_ms "$out/$k.occ" "$arg"); cp "$out/last" "$out/$k.occ.out"
                cmp -s "$out/$k.occ.out" "$out/$k.gcc.out" || { echo "  WRONG: yvm-opt -O2 + yvm-cc output differs"; status=1; }
            fi
            echo "$(ratio "$t_occ" "$t_cc")" >> "$out/r.optcc"
            printf '  after yvm-opt -O2: yvm-run %sms (%s of before), yvm-cc %sms (%s of before)\n' \
                "$t_orun" "$(ratio "$t_orun" "$t_yvm")" "$t_occ" "$(ratio "$t_occ" "$t_cc")"
        else
            echo "  yvm-opt -O2 failed on $k.yvm:"; head -n 3 "$out/$k.opt.err"
            status=1
        fi
    fi
done
printf '%-19s %s\n' "geometric mean" "ratio to gcc -O2: yvm-run $(geomean "$out/r.run"), yvm-cc $(geomean "$out/r.cc"), gcc -O0 $(geomean "$out/r.gcc0"), tcc $(geomean "$out/r.tcc")"
[ $have_opt = yes ] && printf '%-19s %s\n' "" "yvm-opt -O2 effect: yvm-run $(geomean "$out/r.optrun"), yvm-cc $(geomean "$out/r.optcc") of the time without it"

# Compile throughput on $nfuncs small loop functions.
echo
echo "compile throughput, $nfuncs functions (ms per 1,000 functions, best of $runs):"
sh "$bench/gen-funcs.sh" "$nfuncs" yvm > "$out/funcs.yvm"
sh "$bench/gen-funcs.sh" "$nfuncs" c > "$out/funcs.c"
per1000() { awk -v t="$1" -v n="$nfuncs" 'BEGIN { if (t == "-") print "-"; else printf "%.1f", t * 1000 / n }'; }
tput_line() {
    label=$1
    shift
    t=$(best_ms "$@" 2> /dev/null)
    read -r cpu wall tst < "$out/times"
    if [ "$tst" -ne 0 ]; then
        printf '  %-22s failed\n' "$label"; status=1
    else
        printf '  %-22s %7s ms  (%s ms in all)\n' "$label" "$(per1000 "$t")" "$t"
    fi
}
if [ $have_cc = yes ]; then
    tput_line "yvm-cc -O0 -c" "$ycc" -O0 -c "$out/funcs.yvm" -o "$out/funcs-y0.o"
    tput_line "yvm-cc -O1 -c" "$ycc" -O1 -c "$out/funcs.yvm" -o "$out/funcs-y1.o"
fi
[ -n "$TCC" ] && tput_line "tcc -c" "$TCC" -c "$out/funcs.c" -o "$out/funcs-tcc.o"
tput_line "gcc -O0 -c" "$CC" -O0 -c "$out/funcs.c" -o "$out/funcs-gcc.o"
if [ $have_opt = yes ]; then
    tput_line "yvm-opt -O2" "$yopt" "$out/funcs.yvm" -O2 -o "$out/funcs-opt.yvm"
    # functions shaped like front-end output (allocas for locals), when
    # the optimiser's own generator is there
    if [ -f "$bench/gen-opt-funcs.sh" ]; then
        sh "$bench/gen-opt-funcs.sh" "$nfuncs" > "$out/ofuncs.yvm"
        tput_line "yvm-opt -O2 (allocas)" "$yopt" "$out/ofuncs.yvm" -O2 -o "$out/ofuncs-opt.yvm"
    fi
else
    echo "  yvm-opt -O2            skipped: yvm-opt is not built"
fi
exit $status
