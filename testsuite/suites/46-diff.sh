# 46-diff.sh - differential testing against the interpreter: for each seed
# the generator (testsuite/gen/irgen.c) writes a random valid module; it
# must verify, yvm-run gives the reference behaviour (stdout, stderr and
# exit status, a trap included), and every other engine must behave
# exactly the same: the native backend (yvm-cc -O0 and -O1, then the
# executable) and the optimiser (yvm-opt -O1 and -O2, then yvm-run).
# The saved cases in testsuite/diff/ (reduced mismatches found earlier)
# go through the same engines first.
#
# Environment:
#   DIFF_SEEDS=N      seeds FIRST..FIRST+N-1 (default 120; `make fuzz-diff` runs many more)
#   DIFF_FIRST=K      the first seed (default 1)
#   DIFF_SIZE=N       irgen --size (default 10)
#   DIFF_ENGINES="…"  the engines compared with yvm-run (default
#                     "cc-O0 cc-O1 cc-O2 opt-O1 opt-O2"; also "yvmb"; set it
#                     to "" to test the generator and interpreter alone)
#   DIFF_TIME=S       start no new seed after S seconds (make fuzz-diff)
#   DIFF_KEEP=DIR     reduce each mismatch and keep it in DIR (fuzz-diff)
#   DIFF_VERIFY=N     also check that seeds 1..N verify (default 300;
#                     the seeds run above count already; one case)
# An engine whose tool is not built is one failure saying so, never a
# silent pass.

. "$srcdir/testsuite/engines.sh"

diff_n=${DIFF_SEEDS:-120}
diff_first=${DIFF_FIRST:-1}
diff_size=${DIFF_SIZE:-10}
diff_all=${DIFF_ENGINES-cc-O0 cc-O1 cc-O2 opt-O1 opt-O2}
diff_gen=$builddir/testsuite/gen/irgen
diff_start=$(date +%s)
diff_found=0

# Engines whose tools exist; the others fail once.
diff_engines=
for e in $diff_all; do
    tool=$(engine_tool "$e")
    if [ -n "$tool" ] && [ ! -x "$tool" ]; then
        fail "$e: $(basename "$tool") is not built, so the $e engine was not compared" \
            "$tool is missing (DIFF_ENGINES selects the engines)"
    else
        diff_engines="$diff_engines $e"
    fi
done

# diff_one NAME PROG: PROG through yvm-run and every engine; one case per
# engine (and one for the reference run being sane).
diff_one() {
    d=$SUITE_TMP/$1
    mkdir -p "$d"
    engine_prepare interp "$2" "$d/ref" prog
    engine_exec interp "$d/ref" prog < /dev/null > "$d/ref.out" 2> "$d/ref.err"
    ref_st=$?
    # A generated program ends normally (status < 64) or by a trap (134).
    case $ref_st in
    134) grep -q '^trap: ' "$d/ref.err" || {
            fail "$1: yvm-run exit 134 without a trap message" "$(head -n 3 "$d/ref.err")"
            return; } ;;
    *) if [ "$ref_st" -gt 63 ] || [ -s "$d/ref.err" ]; then
            fail "$1: yvm-run exit status $ref_st" "$(head -n 3 "$d/ref.err")"
            return
        fi ;;
    esac
    pass "$1 (yvm-run)"
    for e in $diff_engines; do
        if ! engine_prepare "$e" "$2" "$d/$e" prog; then
            fail "$1 ($e): building failed" "$(head -n 6 "$d/$e/prog.build")"
            diff_keep "$1" "$2" "$e"
            continue
        fi
        engine_exec "$e" "$d/$e" prog < /dev/null > "$d/$e.out" 2> "$d/$e.err"
        st=$?
        why=
        if [ "$st" -ne "$ref_st" ]; then
            why="exit status $st, yvm-run $ref_st"
        elif ! cmp -s "$d/ref.out" "$d/$e.out"; then
            why="stdout differs"
        elif ! cmp -s "$d/ref.err" "$d/$e.err"; then
            why="stderr differs"
        fi
        if [ -z "$why" ]; then
            pass "$1 ($e)"
            rm -rf "${d:?}/$e"
            continue
        fi
        fail "$1 ($e): $why" \
            "$(diff "$d/ref.out" "$d/$e.out" | head -n 6)" \
            "$(diff "$d/ref.err" "$d/$e.err" | head -n 4)"
        diff_keep "$1" "$2" "$e"
    done
    rm -rf "${d:?}/ref"
}

# diff_keep NAME PROG ENGINE: a copy of the mismatching program beside the
# outputs; reduced into $DIFF_KEEP when that is set.
diff_keep() {
    diff_found=$((diff_found + 1))
    cp "$2" "$SUITE_TMP/mismatch-$1-$3.yvm"
    if [ -n "${DIFF_KEEP:-}" ]; then
        mkdir -p "$DIFF_KEEP"
        YVM_CC=$YVM_CC YVM_OPT=$YVM_OPT YVM_RUN=$YVM_RUN YVM_VERIFY=$YVM_VERIFY YVM_AS=$YVM_AS \
            srcdir=$srcdir builddir=$builddir \
            $SHELL "$srcdir/testsuite/gen/reduce.sh" "$2" "$3" "$DIFF_KEEP/$1-$3.yvm" \
            > "$SUITE_TMP/reduce-$1-$3.log" 2>&1 &&
            echo "    kept $DIFF_KEEP/$1-$3.yvm"
    fi
}

if [ ! -x "$YVM_RUN" ]; then
    fail "yvm-run missing" "$YVM_RUN is not built"
elif [ ! -x "$diff_gen" ]; then
    fail "irgen missing" "$diff_gen is not built (a check program)"
else
    for prog in "$srcdir"/testsuite/diff/*.yvm; do
        [ -f "$prog" ] || continue
        diff_one "saved-$(basename "$prog" .yvm)" "$prog"
    done
    seed=$diff_first
    last=$((diff_first + diff_n - 1))
    while [ "$seed" -le "$last" ]; do
        if [ -n "${DIFF_TIME:-}" ] && [ $(($(date +%s) - diff_start)) -ge "$DIFF_TIME" ]; then
            echo "46-diff: time budget of ${DIFF_TIME}s used up after seed $((seed - 1))"
            break
        fi
        p=$SUITE_TMP/seed$seed.yvm
        if ! "$diff_gen" "$seed" --size "$diff_size" > "$p"; then
            fail "seed $seed: irgen failed"
        elif ! "$YVM_VERIFY" "$p" > "$SUITE_TMP/verify.err" 2>&1; then
            fail "seed $seed: the generated module does not verify" "$(head -n 4 "$SUITE_TMP/verify.err")"
        else
            before=$diff_found
            diff_one "seed$seed" "$p"
            # keep the outputs of mismatches only
            [ "$diff_found" -gt "$before" ] || rm -rf "$p" "${SUITE_TMP:?}/seed$seed"
        fi
        seed=$((seed + 1))
    done
    # Seeds that only have to verify (cheap), up to DIFF_VERIFY.
    vbad=0
    seed=1
    while [ "$seed" -le "${DIFF_VERIFY:-300}" ]; do
        if [ "$seed" -lt "$diff_first" ] || [ "$seed" -gt "$last" ]; then
            p=$SUITE_TMP/verify$seed.yvm
            if ! "$diff_gen" "$seed" --size "$diff_size" > "$p" ||
                ! "$YVM_VERIFY" "$p" > "$SUITE_TMP/verify.err" 2>&1; then
                [ $vbad -lt 5 ] && fail "seed $seed: the generated module does not verify" \
                    "$(head -n 4 "$SUITE_TMP/verify.err")"
                vbad=$((vbad + 1))
            else
                rm -f "$p"
            fi
        fi
        seed=$((seed + 1))
    done
    [ $vbad -eq 0 ] && pass "seeds 1..${DIFF_VERIFY:-300} verify"
    [ "$diff_found" -gt 0 ] && echo "46-diff: $diff_found mismatching programs kept in $SUITE_TMP"
fi
