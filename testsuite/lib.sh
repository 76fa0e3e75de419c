# lib.sh - helpers for test suites (sourced by run-suites.sh).
#
# pass NAME / fail NAME WHY count cases; add_counts P F adds counts from a
# runner that keeps its own (Check). Failures print their reason; passes
# stay quiet, and the suite prints one line of counts at its end.

suite_begin() {
    SUITE=$1
    SUITE_COUNTS=$2
    SUITE_PASS=0
    SUITE_FAIL=0
    SUITE_SKIP=0
    SUITE_TMP=$builddir/testsuite/out/$1
    mkdir -p "$SUITE_TMP"
}

pass() { SUITE_PASS=$((SUITE_PASS + 1)); }

fail() {
    SUITE_FAIL=$((SUITE_FAIL + 1))
    echo "FAIL: $SUITE: $1"
    shift
    [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/    /'
    return 0
}

# skip NAME WHY: a case this engine cannot run, for a documented reason;
# counted and named, never silently passed.
skip() {
    SUITE_SKIP=$((SUITE_SKIP + 1))
    echo "SKIP: $SUITE: $1: $2"
}

add_counts() {
    SUITE_PASS=$((SUITE_PASS + $1))
    SUITE_FAIL=$((SUITE_FAIL + $2))
}

suite_end() {
    if [ "$SUITE_SKIP" -gt 0 ]; then
        echo "$SUITE: $SUITE_PASS ok, $SUITE_FAIL bad, $SUITE_SKIP skipped"
    else
        echo "$SUITE: $SUITE_PASS ok, $SUITE_FAIL bad"
    fi
    echo "$SUITE_PASS $SUITE_FAIL $SUITE_SKIP" > "$SUITE_COUNTS"
}

# Tools built in the build tree.
YVM_AS=$builddir/yvm-as
YVM_DIS=$builddir/yvm-dis
YVM_VERIFY=$builddir/yvm-verify
YVM_RUN=$builddir/yvm-run
