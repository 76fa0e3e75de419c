# 41-native.sh - the native backend on the program corpus: every
# testsuite/run/NAME.yvm compiled by yvm-cc at -O0 and at -O1 and run must
# give exactly the stdout, stderr and exit status its directives expect
# (as in 40-run; the executable is named NAME.yvm and run from its own
# directory, so argv[0] is "NAME.yvm" as under yvm-run). Then the output
# formats: `yvm-cc -S` must assemble with GNU as, and `readelf -a` and
# `objdump -d` must accept both that object and yvm-cc's own -c object.
# Without a built yvm-cc the suite reports one failure saying so.

. "$srcdir/testsuite/engines.sh"

if [ ! -x "$YVM_CC" ]; then
    fail "yvm-cc missing: the native backend was not tested" "$YVM_CC is not built"
else
    corpus_run_engines cc-O0 cc-O1

    nat_as=$(command -v as || true)
    nat_readelf=$(command -v readelf || true)
    nat_objdump=$(command -v objdump || true)
    [ -n "$nat_as" ] || fail "as missing: yvm-cc -S output was not assembled"
    [ -n "$nat_readelf" ] || fail "readelf missing: objects were not inspected"
    [ -n "$nat_objdump" ] || fail "objdump missing: objects were not disassembled"
    for prog in "$srcdir"/testsuite/run/*.yvm; do
        [ -f "$prog" ] || continue
        name=$(basename "$prog" .yvm)
        d=$SUITE_TMP/obj-$name
        mkdir -p "$d"
        ok=yes
        if ! "$YVM_CC" -S "$prog" -o "$d/$name.s" > "$d/log" 2>&1; then
            fail "$name (-S): yvm-cc failed" "$(head -n 4 "$d/log")"
            ok=no
        elif [ -n "$nat_as" ] && ! "$nat_as" --64 -o "$d/$name-as.o" "$d/$name.s" > "$d/log" 2>&1; then
            fail "$name (-S): as rejects the assembly" "$(head -n 6 "$d/log")"
            ok=no
        fi
        if ! "$YVM_CC" -c "$prog" -o "$d/$name.o" > "$d/log" 2>&1; then
            fail "$name (-c): yvm-cc failed" "$(head -n 4 "$d/log")"
            ok=no
        fi
        for o in "$d/$name.o" "$d/$name-as.o"; do
            [ -f "$o" ] || continue
            if [ -n "$nat_readelf" ] && { ! "$nat_readelf" -a -W "$o" > "$d/log" 2>&1 ||
                grep -qi '^readelf: \(error\|warning\)' "$d/log"; }; then
                fail "$name ($(basename "$o")): readelf -a complains" "$(grep -i 'error\|warning' "$d/log" | head -n 4)"
                ok=no
            fi
            if [ -n "$nat_objdump" ] && { ! "$nat_objdump" -d "$o" > "$d/log" 2>&1 ||
                grep -q '(bad)' "$d/log"; }; then
                fail "$name ($(basename "$o")): objdump -d fails or finds bad code" \
                    "$(grep -i '(bad)\|error\|warning' "$d/log" | head -n 4)"
                ok=no
            fi
        done
        if [ $ok = yes ]; then
            pass "$name (-S, -c)"
            rm -rf "$d"
        fi
    done
fi
