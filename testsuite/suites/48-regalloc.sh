# 48-regalloc.sh - the register allocator's Check tests (test_regalloc.c).
log=$SUITE_TMP/regalloc.log
if [ ! -x "$builddir/testsuite/unit/test_regalloc" ]; then
    fail "test_regalloc" "not built"
else
    CK_FORK=yes "$builddir/testsuite/unit/test_regalloc" > "$log" 2>&1
    status=$?
    line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        fail "test_regalloc" "no Check summary (exit status $status)" "$(head -n 5 "$log")"
    else
        checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
        failures=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
        errors=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
        bad=$((failures + errors))
        [ "$bad" -eq 0 ] || cat "$log"
        add_counts $((checks - bad)) $bad
    fi
fi
