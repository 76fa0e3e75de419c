#!/bin/sh
# run-suites.sh - run every test suite and end with one summary line.
#
# Each suite in testsuite/suites/ is a shell script sourced in a subshell
# with lib.sh loaded; it reports each case through pass/fail, and its
# counts are added up here. The last line printed is
# "N passed, N failed" for the whole run; the exit status is 1 if any case
# failed.
srcdir=${srcdir:-.}
builddir=${builddir:-.}
export srcdir builddir
out=$builddir/testsuite/out
rm -rf "$out"
mkdir -p "$out"

total_pass=0
total_fail=0
total_skip=0
# SUITES="40-run 70-yao" runs only the suites whose names start so.
for suite in "$srcdir"/testsuite/suites/*.sh; do
    name=$(basename "$suite" .sh)
    if [ -n "${SUITES:-}" ]; then
        want=no
        for s in $SUITES; do
            case $name in "$s"*) want=yes ;; esac
        done
        [ $want = yes ] || continue
    fi
    counts=$out/$name.counts
    (
        . "$srcdir/testsuite/lib.sh"
        suite_begin "$name" "$counts"
        . "$suite"
        suite_end
    )
    if [ -f "$counts" ]; then
        read -r p f k < "$counts"
    else
        echo "$name: the suite stopped before reporting" >&2
        p=0 f=1 k=0
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    total_skip=$((total_skip + ${k:-0}))
done
if [ "$total_skip" -gt 0 ]; then
    echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
    echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
