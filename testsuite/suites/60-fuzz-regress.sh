# 60-fuzz-regress.sh - replay every input the fuzzers once found: each
# must now be read cleanly (exit 0) or rejected with an error (exit 1);
# anything else (a crash, a sanitizer report) fails. An input that reads
# cleanly must also survive what the fuzzers check: its canonical print
# reads back, and the binary form prints the same text.
for f in "$srcdir"/testsuite/fuzz/crashes/text/* "$srcdir"/testsuite/fuzz/crashes/binary/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    "$YVM_VERIFY" "$f" > /dev/null 2> "$SUITE_TMP/err"
    st=$?
    if [ $st -eq 1 ]; then
        pass "$name"
        continue
    elif [ $st -ne 0 ]; then
        fail "$name" "exit status $st" "$(head -n 5 "$SUITE_TMP/err")"
        continue
    fi
    t="$SUITE_TMP/fz-$name"
    if "$YVM_DIS" "$f" -o "$t.1.yvm" 2> "$SUITE_TMP/err" &&
        "$YVM_AS" "$t.1.yvm" -o "$t.yvmb" 2>> "$SUITE_TMP/err" &&
        "$YVM_DIS" "$t.yvmb" -o "$t.2.yvm" 2>> "$SUITE_TMP/err" &&
        cmp -s "$t.1.yvm" "$t.2.yvm"; then
        pass "$name"
    else
        fail "$name" "the canonical print does not read back to the same module" \
            "$(head -n 5 "$SUITE_TMP/err")"
    fi
done
