#!/bin/sh
# run-fuzz.sh SECONDS - run both reader fuzzers for SECONDS each.
#
# Seeds: every .yvm in the testsuite for the text reader, and their
# assembled .yvmb forms for the binary reader. Findings go to
# fuzz-work/{text,binary}/; the exit status is non-zero if any was found.
set -u
secs=${1:-60}
srcdir=${srcdir:-$(dirname "$0")/../..}
work=fuzz-work
mkdir -p "$work/text-corpus" "$work/binary-corpus" "$work/text" "$work/binary"
for f in "$srcdir"/testsuite/ir/valid/*.yvm "$srcdir"/testsuite/run/*.yvm; do
    [ -f "$f" ] || continue
    cp "$f" "$work/text-corpus/"
    ./yvm-as "$f" -o "$work/binary-corpus/$(basename "$f" .yvm).yvmb" 2>/dev/null
done
status=0
for kind in text binary; do
    echo "fuzz-$kind: ${secs}s"
    # Past findings seed the run too (copied: libFuzzer may write to them).
    cp "$srcdir/testsuite/fuzz/crashes/$kind"/* "$work/$kind-corpus/" 2>/dev/null
    ./fuzz-$kind -max_total_time="$secs" -max_len=4096 -timeout=10 \
        -artifact_prefix="$work/$kind/" "$work/$kind-corpus" \
        > "$work/$kind.log" 2>&1 || status=1
    tail -n 3 "$work/$kind.log"
done
found=$(find "$work/text" "$work/binary" -type f | wc -l)
echo "fuzz: $found finding(s) in $work/text and $work/binary"
exit $status
