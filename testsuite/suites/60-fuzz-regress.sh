# 60-fuzz-regress.sh - replay every input the fuzzers once found: each
# must now be read cleanly (exit 0) or rejected with an error (exit 1);
# anything else (a crash, a sanitizer report) fails.
for f in "$srcdir"/testsuite/fuzz/crashes/text/* "$srcdir"/testsuite/fuzz/crashes/binary/*; do
    [ -f "$f" ] || continue
    "$YVM_VERIFY" "$f" > /dev/null 2> "$SUITE_TMP/err"
    st=$?
    if [ $st -eq 0 ] || [ $st -eq 1 ]; then
        pass "$f"
    else
        fail "$(basename "$f")" "exit status $st" "$(head -n 5 "$SUITE_TMP/err")"
    fi
done
