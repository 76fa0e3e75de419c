#!/bin/sh
# reduce.sh PROG ENGINE OUT - shrink a program on which ENGINE disagrees
# with yvm-run (or fails to build it) and write the result to OUT, with
# the interpreter's behaviour as `; STDOUT:`/`; STDERR:`/`; EXIT:` lines.
#
# Line-based delta debugging: replace chunks of instructions by constants
# of their type, then delete chunks of lines, halving the chunk size each
# round, and keep a change when the module still verifies, still runs in
# yvm-run within the time limit and ENGINE still disagrees the same way
# (fails to build, or builds and behaves differently). Stops refining
# after REDUCE_TIME seconds (default 600) and writes the best so far.
#
# Environment: srcdir, builddir and the tool variables of engines.sh
# (46-diff.sh passes them).
set -u
[ $# -eq 3 ] || { echo "usage: reduce.sh PROG ENGINE OUT" >&2; exit 2; }
prog=$1
engine=$2
out=$3
srcdir=${srcdir:-.}
builddir=${builddir:-.}
YVM_RUN=${YVM_RUN:-$builddir/yvm-run}
YVM_AS=${YVM_AS:-$builddir/yvm-as}
YVM_VERIFY=${YVM_VERIFY:-$builddir/yvm-verify}
ENGINE_TIMEOUT=${ENGINE_TIMEOUT:-10}
. "$srcdir/testsuite/engines.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/yvm-reduce.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
limit=${REDUCE_TIME:-600}
start=$(date +%s)

# outcome FILE: "build" if ENGINE cannot build it, "differs" if it runs
# differently from yvm-run, "same" otherwise, "invalid" if FILE does not
# verify or does not end in yvm-run in time.
outcome() {
    "$YVM_VERIFY" "$1" > /dev/null 2>&1 || { echo invalid; return; }
    engine_prepare interp "$1" "$work/ref" p
    engine_exec interp "$work/ref" p < /dev/null > "$work/ref.out" 2> "$work/ref.err"
    rs=$?
    [ "$rs" -eq 124 ] && { echo invalid; return; }
    engine_prepare "$engine" "$1" "$work/e" p
    bs=$?
    if [ "$bs" -ne 0 ]; then
        # a build that timed out says nothing
        if [ "$bs" -eq 124 ]; then echo invalid; else echo build; fi
        return
    fi
    engine_exec "$engine" "$work/e" p < /dev/null > "$work/e.out" 2> "$work/e.err"
    es=$?
    if [ "$es" -ne "$rs" ] || ! cmp -s "$work/ref.out" "$work/e.out" ||
        ! cmp -s "$work/ref.err" "$work/e.err"; then
        echo differs
    else
        echo same
    fi
}

cp "$prog" "$work/best.yvm"
want=$(outcome "$work/best.yvm")
case $want in
build | differs) ;;
*) echo "reduce.sh: $prog does not show a mismatch with $engine ($want)" >&2; exit 1 ;;
esac

# neutral FROM TO < FILE: the lines FROM..TO with each value-defining
# instruction whose result type the line shows replaced by a constant
# (`%v = add T 0, 0`), cutting the value off from its operands.
neutral() {
    awk -v from="$1" -v to="$2" '
    function zero(t) { return (t == "f32" || t == "f64") ? "fadd " t " 0.0, 0.0" : "add " t " 0, 0" }
    NR >= from && NR <= to && $1 ~ /^%/ && $2 == "=" {
        op = $3; t = $4; sub(/,$/, "", t)
        if (op == "icmp" || op == "fcmp") { print "  " $1 " = add i1 0, 0"; next }
        if ($(NF - 1) == "to" && op != "call") { print "  " $1 " = " zero($NF); next }
        if (op ~ /^(add|sub|mul|[su](div|rem)|and|or|xor|shl|lshr|ashr|addc|subc|mulc|addcu|subcu|mulcu|select|load|fadd|fsub|fmul|fdiv|fneg|fsqrt)$/ &&
            t ~ /^(i1|i8|i16|i32|i64|f32|f64)$/ && !(t == "add" && $5 == "0,")) {
            if ($0 ~ / = (add|fadd) [a-z0-9]+ 0(\.0)?, 0(\.0)?$/) { print; next }
            print "  " $1 " = " zero(t); next
        }
    }
    { print }'
}

# shrink HOW: delta debugging over the lines with HOW "del" (delete) or
# "neutral" (see above), halving the chunk size.
shrink() {
    n=$(wc -l < "$work/best.yvm")
    chunk=$((n / 2))
    while [ "$chunk" -ge 1 ]; do
        i=1
        while [ "$i" -le "$n" ]; do
            [ $(($(date +%s) - start)) -ge "$limit" ] && return
            if [ "$1" = del ]; then
                sed "$i,$((i + chunk - 1))d" "$work/best.yvm" > "$work/try.yvm"
            else
                neutral "$i" "$((i + chunk - 1))" < "$work/best.yvm" > "$work/try.yvm"
            fi
            if ! cmp -s "$work/try.yvm" "$work/best.yvm" &&
                [ "$(outcome "$work/try.yvm")" = "$want" ]; then
                mv "$work/try.yvm" "$work/best.yvm"
                n=$(wc -l < "$work/best.yvm")
                [ "$1" = del ] || i=$((i + chunk))
            else
                i=$((i + chunk))
            fi
        done
        chunk=$((chunk / 2))
    done
}

# Cut values off from their operands first, then delete what is unused;
# twice, since deleting lets more be cut.
shrink neutral
shrink del
shrink neutral
shrink del
n=$(wc -l < "$work/best.yvm")

# The interpreter's behaviour, as the directives of the program corpus.
outcome "$work/best.yvm" > /dev/null
engine_prepare interp "$work/best.yvm" "$work/ref" p
engine_exec interp "$work/ref" p < /dev/null > "$work/ref.out" 2> "$work/ref.err"
rs=$?
{
    echo "; $(basename "$out") - reduced by testsuite/gen/reduce.sh from $(basename "$prog"):"
    echo "; $engine $( [ "$want" = build ] && echo "fails to build it" || echo "behaves differently from yvm-run")."
    sed 's/^/; STDOUT: /; s/ $//' "$work/ref.out"
    sed 's/^/; STDERR: /; s/ $//' "$work/ref.err"
    echo "; EXIT: $rs"
    grep -v '^; \(STDOUT\|STDERR\|EXIT\):' "$work/best.yvm"
} > "$out"
echo "reduce.sh: $n lines in $(($(date +%s) - start))s -> $out"
