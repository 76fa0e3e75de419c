# 44-interop.sh - compiled IR linked with C, both directions: each
# testsuite/interop/NAME.yvm (exported IR functions, externs that C
# provides) is compiled with `yvm-cc -c` at -O0 and at -O1, linked by the
# C compiler with its driver NAME.c and libyvmrt.a (the runtime; a
# constructor sets it up and C's main runs), and run. The output must be
# exactly what the .yvm file's ; STDOUT: / ; STDERR: / ; EXIT: lines say.
# Without a built yvm-cc or libyvmrt.a the suite reports one failure.

. "$srcdir/testsuite/engines.sh"

io_cc=${CC:-cc}
io_rt=$builddir/libyvmrt.a

if [ ! -x "$YVM_CC" ]; then
    fail "yvm-cc missing: C interop was not tested" "$YVM_CC is not built"
elif [ ! -f "$io_rt" ]; then
    fail "libyvmrt.a missing: C interop was not tested" "$io_rt is not built"
else
    for prog in "$srcdir"/testsuite/interop/*.yvm; do
        [ -f "$prog" ] || continue
        name=$(basename "$prog" .yvm)
        base=$SUITE_TMP/$name
        corpus_expect "$prog" "$base"
        for lvl in O0 O1; do
            d=$base.$lvl
            mkdir -p "$d"
            if ! "$YVM_CC" -c "-$lvl" "$prog" -o "$d/$name.o" > "$d/log" 2>&1; then
                fail "$name (-$lvl): yvm-cc -c failed" "$(head -n 4 "$d/log")"
                continue
            fi
            if ! $io_cc -o "$d/$name.yvm" "${prog%.yvm}.c" "$d/$name.o" "$io_rt" -lm \
                > "$d/log" 2>&1; then
                fail "$name (-$lvl): linking with C failed" "$(head -n 6 "$d/log")"
                continue
            fi
            # shellcheck disable=SC2086 # ARGS is split into words on purpose
            engine_exec "cc-$lvl" "$d" "$name" $corpus_args < "$base.in" > "$base.out" 2> "$base.err"
            corpus_check "$name (-$lvl)" $? "$base" && rm -rf "$d"
        done
    done
fi
