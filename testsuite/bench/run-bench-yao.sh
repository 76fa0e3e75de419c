#!/bin/sh
# run-bench-yao.sh - `make bench` (bench-yao): the Yao example programs
# (examples/NAME.yao) compiled by yaoc -O1 and -O2 to native executables, against
# their C twins (testsuite/bench/yao/NAME.c, or the examples' reference
# testsuite/yao-examples/NAME-ref.c; same algorithm and output)
# built with gcc -O2, gcc -O0 and tcc. The table gives the best of
# $BENCH_RUNS CPU times (user + system, measured by timeit.c, as in
# run-bench.sh), each engine's time as a ratio to gcc -O2 and the
# geometric mean of the ratios. Every engine must print the same output
# (the md5s are compared), or the program is reported as wrong. Then
# yaoc's own speed: a generated Yao file of $BENCH_FUNCS small functions
# (and the same in C) through yaoc --emit-ir and yaoc -c, against tcc -c
# and gcc -O0 -c, in lines per second.
# A missing tcc leaves its column out with a note.
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
out=$builddir/testsuite/out/bench-yao  # removed by make clean
yaoc=$builddir/yaoc/yaoc
mkdir -p "$out"

# program and its argument (the full scale: about a second under gcc -O2)
if [ "${BENCH_SCALE:-}" = small ]; then
    progs="nbody:100000 fannkuch-redux:8 spectral-norm:300 mandelbrot:400 binary-trees:12 fasta:100000"
else
    progs="nbody:15000000 fannkuch-redux:10 spectral-norm:4500 mandelbrot:4000 binary-trees:21 fasta:7000000"
fi

if grep -q '^SAN_FLAGS = -fsanitize' "$builddir/Makefile" 2> /dev/null; then
    echo "note: this build has sanitizers on; configure without --enable-sanitizers for real figures"
fi
[ -x "$yaoc" ] || { echo "yaoc is not built ($yaoc)"; exit 1; }
[ -n "$TCC" ] || echo "note: tcc not found: no tcc column"

# best_ms CMD...: the best CPU time of $runs runs, in ms; the output of
# the last run is left in $out/last.
best_ms() {
    best=
    i=0
    while [ $i -lt "$runs" ]; do
        "$out/timeit" "$out/times" "$@" > "$out/last" 2>&1
        read -r cpu wall st < "$out/times"
        [ "$st" -eq 0 ] || { echo "FAILED ($st): $*" >&2; head -n 5 "$out/last" >&2; }
        if [ -z "$best" ] || [ "$cpu" -lt "$best" ]; then best=$cpu; fi
        i=$((i + 1))
    done
    echo $((best / 1000))
}

# yaoc_time LEVEL: build examples/$k.yao with yaoc LEVEL and set t_lvl to
# its best time ("-" if it does not build); a wrong output sets same=no.
yaoc_time() {
    t_lvl=-
    if "$yaoc" "$1" "$srcdir/examples/$k.yao" -o "$out/$k.yao$1" 2> "$out/$k.yaoc.err"; then
        t_lvl=$(best_ms "$out/$k.yao$1" "$arg")
        [ "$(md5 "$out/last")" = "$ref" ] || { same=no; echo "  yaoc $1 output differs"; }
    else
        echo "  yaoc $1 failed on $k.yao:"; head -n 3 "$out/$k.yaoc.err"
        status=1
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
# geomean FILE: the geometric mean of the numbers in FILE ("-" if none)
geomean() {
    awk '$1 != "-" && $1 > 0 { s += log($1); n++ } END { if (n) printf "%.2fx", exp(s / n); else print "-" }' "$1"
}
md5() { md5sum < "$1" | cut -c1-32; }

"$CC" -O2 -o "$out/timeit" "$bench/timeit.c" || exit 1
printf '%-15s %-9s %9s %9s %9s %9s %9s   %s\n' program arg yaoc-O1 yaoc-O2 gcc-O2 gcc-O0 tcc \
    "ratio to gcc -O2: yaoc-O1 yaoc-O2 gcc-O0 tcc"
status=0
: > "$out/r.yao"; : > "$out/r.yao2"; : > "$out/r.gcc0"; : > "$out/r.tcc"
for kv in $progs; do
    k=${kv%%:*}
    arg=${kv#*:}
    src=$bench/yao/$k.c
    # The examples' own C references serve as their twins where they exist.
    [ -f "$src" ] || src=$srcdir/testsuite/yao-examples/$k-ref.c
    "$CC" -O2 -o "$out/$k.gcc" "$src" -lm || exit 1
    "$CC" -O0 -o "$out/$k.gcc0" "$src" -lm || exit 1
    have_tcc=no
    if [ -n "$TCC" ] && "$TCC" -o "$out/$k.tcc" "$src" -lm 2> /dev/null; then
        have_tcc=yes
    fi
    t_gcc=$(best_ms "$out/$k.gcc" "$arg"); ref=$(md5 "$out/last")
    same=yes
    t_gcc0=$(best_ms "$out/$k.gcc0" "$arg")
    [ "$(md5 "$out/last")" = "$ref" ] || { same=no; echo "  gcc -O0 output differs"; }
    t_tcc=-
    if [ $have_tcc = yes ]; then
        t_tcc=$(best_ms "$out/$k.tcc" "$arg")
        [ "$(md5 "$out/last")" = "$ref" ] || { same=no; echo "  tcc output differs"; }
    fi
    yaoc_time -O1; t_yao=$t_lvl
    # -O2: the optimiser with the prover (checks removed under proof).
    yaoc_time -O2; t_yao2=$t_lvl
    r_yao=$(ratio "$t_yao" "$t_gcc"); r_gcc0=$(ratio "$t_gcc0" "$t_gcc"); r_tcc=$(ratio "$t_tcc" "$t_gcc")
    r_yao2=$(ratio "$t_yao2" "$t_gcc")
    echo "$r_yao" >> "$out/r.yao"; echo "$r_yao2" >> "$out/r.yao2"
    echo "$r_gcc0" >> "$out/r.gcc0"; echo "$r_tcc" >> "$out/r.tcc"
    printf '%-15s %-9s %7sms %7sms %7sms %7sms %7sms   %s %s %s %s\n' "$k" "$arg" "$t_yao" \
        "$t_yao2" "$t_gcc" "$t_gcc0" "$t_tcc" "$r_yao" "$r_yao2" "$r_gcc0" "$r_tcc"
    if [ $same = no ]; then
        echo "  WRONG: the outputs differ (md5 of gcc -O2: $ref)"
        status=1
    fi
done
printf '%-25s %s\n' "geometric mean" "ratio to gcc -O2: yaoc -O1 $(geomean "$out/r.yao"), yaoc -O2 $(geomean "$out/r.yao2"), gcc -O0 $(geomean "$out/r.gcc0"), tcc $(geomean "$out/r.tcc")"

# yaoc's own speed on $nfuncs small functions (and the same in C).
awk -v n="$nfuncs" 'BEGIN {
    print "// generated by run-bench-yao.sh"
    for (i = 0; i < n; i++) {
        printf "// function %d of the generated module\nfn fn_%d(n: i64, k: i64) -> i64 {\n", i, i
        print "    mut s: i64 = 0;"
        print "    mut t: i64 = k;"
        print "    for i in 0..n {"
        printf "        s += i * %d + t;\n", i % 97 + 1
        print "        t = (t * 3 + 1) % 1000;"
        print "        if s > 100000 {"
        print "            s -= 100000;"
        print "        } else {"
        printf "            t += %d;\n", i % 13
        print "        }"
        print "    }"
        print "    return s + t;"
        print "}"
        print ""
    }
    print "fn main(args: []str) {"
    print "    mut s: i64 = 0;"
    for (i = 0; i < n; i += 100) printf "    s += fn_%d(10, %d);\n", i, i
    print "    if s == 42 {"
    print "        s = 0;"
    print "    }"
    print "}"
}' > "$out/funcs.yao"
awk -v n="$nfuncs" 'BEGIN {
    print "/* generated by run-bench-yao.sh */"
    for (i = 0; i < n; i++) {
        printf "/* function %d of the generated module */\nlong fn_%d(long n, long k) {\n", i, i
        print "    long s = 0;"
        print "    long t = k;"
        print "    for (long i = 0; i < n; i++) {"
        printf "        s += i * %d + t;\n", i % 97 + 1
        print "        t = (t * 3 + 1) % 1000;"
        print "        if (s > 100000) {"
        print "            s -= 100000;"
        print "        } else {"
        printf "            t += %d;\n", i % 13
        print "        }"
        print "    }"
        print "    return s + t;"
        print "}"
        print ""
    }
    print "int main(void) {"
    print "    long s = 0;"
    for (i = 0; i < n; i += 100) printf "    s += fn_%d(10, %d);\n", i, i
    print "    return s == 42;"
    print "}"
}' > "$out/funcs.c"
ylines=$(wc -l < "$out/funcs.yao")
clines=$(wc -l < "$out/funcs.c")
echo
echo "yaoc's speed, $nfuncs functions ($ylines lines of Yao, $clines of C; lines per second, best of $runs):"
lps() { awk -v t="$1" -v l="$2" 'BEGIN { if (t == "-") print "-"; else if (t == 0) print ">" l * 1000; else printf "%.0f", l * 1000 / t }'; }
speed_line() {
    label=$1
    lines=$2
    shift 2
    t=$(best_ms "$@" 2> /dev/null)
    read -r cpu wall tst < "$out/times"
    if [ "$tst" -ne 0 ]; then
        printf '  %-16s failed\n' "$label"; head -n 3 "$out/last"; status=1
    else
        printf '  %-16s %9s lines/s  (%s ms)\n' "$label" "$(lps "$t" "$lines")" "$t"
    fi
}
speed_line "yaoc --emit-ir" "$ylines" "$yaoc" --emit-ir "$out/funcs.yao" -o "$out/funcs.yvm"
speed_line "yaoc -c" "$ylines" "$yaoc" -c "$out/funcs.yao" -o "$out/funcs-yao.o"
[ -n "$TCC" ] && speed_line "tcc -c" "$clines" "$TCC" -c "$out/funcs.c" -o "$out/funcs-tcc.o"
speed_line "gcc -O0 -c" "$clines" "$CC" -O0 -c "$out/funcs.c" -o "$out/funcs-gcc.o"
exit $status
