# 10-unit.sh - the Check unit tests; Check's own lines are shown as they are.
log=$SUITE_TMP/unit.log
CK_FORK=yes "$builddir/testsuite/unit/test_ir" > "$log" 2>&1
status=$?
cat "$log"
line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
if [ -z "$line" ]; then
    fail "test_ir" "no Check summary (exit status $status)"
else
    checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    failures=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    errors=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    bad=$((failures + errors))
    add_counts $((checks - bad)) $bad
fi
