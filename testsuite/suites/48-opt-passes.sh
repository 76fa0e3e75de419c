# 48-opt-passes.sh - unit tests of each optimiser pass (docs/opt.md):
# every testsuite/opt/PASS/NAME.yvm goes through
#     yvm-opt --check --passes=PASS NAME.yvm
# and the printed module must equal NAME.expected (canonical text,
# checked by hand against the pass's rules). When the module has an
# exported @main, the input and the output also run in yvm-run and must
# give the same stdout, stderr and exit status. A few tool behaviours
# (levels, --dump-after, binary output, usage errors) are checked at the
# end.

opt_dir=$srcdir/testsuite/opt
YVM_OPT=${YVM_OPT:-$builddir/yvm-opt}

if [ ! -x "$YVM_OPT" ]; then
    fail "yvm-opt missing: the passes were not tested" "$YVM_OPT is not built"
else
    for t in "$opt_dir"/*/*.yvm; do
        [ -f "$t" ] || continue
        pass_name=$(basename "$(dirname "$t")")
        name=$pass_name/$(basename "$t" .yvm)
        base=$SUITE_TMP/$pass_name-$(basename "$t" .yvm)
        if ! "$YVM_OPT" --check --passes="$pass_name" "$t" > "$base.out" 2> "$base.err"; then
            fail "$name: yvm-opt failed" "$(head -n 5 "$base.err")"
            continue
        fi
        if ! cmp -s "${t%.yvm}.expected" "$base.out"; then
            fail "$name: output differs from $(basename "${t%.yvm}").expected" \
                "$(diff "${t%.yvm}.expected" "$base.out" | head -n 20)"
            continue
        fi
        pass "$name"
        grep -q '^export func @main' "$t" || continue
        [ -x "$YVM_RUN" ] || continue
        "$YVM_RUN" "$t" > "$base.ref.out" 2> "$base.ref.err" < /dev/null
        ref=$?
        "$YVM_RUN" "$base.out" > "$base.opt.out" 2> "$base.opt.err" < /dev/null
        got=$?
        if [ "$ref" -ne "$got" ] || ! cmp -s "$base.ref.out" "$base.opt.out" \
            || ! cmp -s "$base.ref.err" "$base.opt.err"; then
            fail "$name (run): behaviour changed: exit $got, want $ref" \
                "$(diff "$base.ref.out" "$base.opt.out" | head -n 5)" \
                "$(diff "$base.ref.err" "$base.opt.err" | head -n 5)"
        else
            pass "$name (run)"
        fi
    done

    # The tool itself.
    t=$opt_dir/sccp/fold-int.yvm
    if "$YVM_OPT" -O0 "$t" > "$SUITE_TMP/o0.out" 2>&1 && "$YVM_DIS" "$t" -o "$SUITE_TMP/o0.want" 2>/dev/null \
        && cmp -s "$SUITE_TMP/o0.out" "$SUITE_TMP/o0.want"; then
        pass "tool: -O0 prints the module unchanged"
    else
        fail "tool: -O0 prints the module unchanged" "$(diff "$SUITE_TMP/o0.want" "$SUITE_TMP/o0.out" | head -n 5)"
    fi
    if "$YVM_OPT" -O2 "$t" -o "$SUITE_TMP/o2.yvmb" && "$YVM_DIS" "$SUITE_TMP/o2.yvmb" -o "$SUITE_TMP/o2b.yvm" \
        && "$YVM_OPT" -O2 "$t" -o "$SUITE_TMP/o2.yvm" && cmp -s "$SUITE_TMP/o2.yvm" "$SUITE_TMP/o2b.yvm"; then
        pass "tool: -o x.yvmb writes the binary form"
    else
        fail "tool: -o x.yvmb writes the binary form"
    fi
    if "$YVM_OPT" --passes=sccp,dce --dump-after=sccp "$t" > "$SUITE_TMP/dump.yvm" 2>&1 \
        && grep -q '^; after sccp' "$SUITE_TMP/dump.yvm" && "$YVM_VERIFY" "$SUITE_TMP/dump.yvm"; then
        pass "tool: --dump-after prints re-assemblable IR"
    else
        fail "tool: --dump-after prints re-assemblable IR" "$(head -n 5 "$SUITE_TMP/dump.yvm")"
    fi
    "$YVM_OPT" --passes=nosuch "$t" > /dev/null 2> "$SUITE_TMP/usage.err"
    st=$?
    if [ $st -eq 2 ] && grep -q "unknown pass 'nosuch'" "$SUITE_TMP/usage.err"; then
        pass "tool: an unknown pass is a usage error"
    else
        fail "tool: an unknown pass is a usage error" "exit $st" "$(cat "$SUITE_TMP/usage.err")"
    fi
    printf 'func @f( {\n' > "$SUITE_TMP/bad.yvm"
    "$YVM_OPT" "$SUITE_TMP/bad.yvm" > /dev/null 2> "$SUITE_TMP/bad.err"
    st=$?
    if [ $st -eq 1 ] && grep -q 'bad.yvm:1:[0-9]*: error:' "$SUITE_TMP/bad.err"; then
        pass "tool: malformed input is a located error, exit 1"
    else
        fail "tool: malformed input is a located error, exit 1" "exit $st" "$(head -n 3 "$SUITE_TMP/bad.err")"
    fi
    # Proof obligations (docs/ir.md, docs/opt.md "checkelim"). A false one
    # (testsuite/oblig/false-*.yvm, hand-edited) is an input error whose
    # first line starts with the file's `; expect:` text (the values of
    # the counterexample follow), exit 1.
    opt_abs=$(cd "$(dirname "$YVM_OPT")" && pwd)/$(basename "$YVM_OPT")
    for t in "$srcdir"/testsuite/oblig/false-*.yvm; do
        [ -f "$t" ] || continue
        name=oblig/$(basename "$t" .yvm)
        want=$(sed -n '1s/^; expect: //p' "$t")
        (cd "$(dirname "$t")" && "$opt_abs" -O0 "$(basename "$t")") > /dev/null 2> "$SUITE_TMP/false.err"
        st=$?
        got=$(head -n 1 "$SUITE_TMP/false.err")
        case $got in
        "$want"*) if [ $st -eq 1 ]; then pass "$name: rejected"; else
                  fail "$name: rejected" "exit $st, want 1"; fi ;;
        *) fail "$name: rejected" "exit $st" "got:  $got" "want: $want..." ;;
        esac
    done
    # What checkelim writes is proven again by --check (also after the
    # dce and simplifycfg that follow it at -O2), in text and in binary,
    # and reads back to the same module.
    for ce in false-arm:'@f %' bounds-loop:'@main %o false'; do
        t=$opt_dir/checkelim/${ce%%:*}.yvm
        if "$YVM_OPT" --check -O2 "$t" -o "$SUITE_TMP/ce.yvmb" && "$YVM_OPT" --check -O2 "$t" -o "$SUITE_TMP/ce.yvm" \
            && "$YVM_DIS" "$SUITE_TMP/ce.yvmb" -o "$SUITE_TMP/ce2.yvm" && cmp -s "$SUITE_TMP/ce.yvm" "$SUITE_TMP/ce2.yvm" \
            && grep -q "^obligation ${ce#*:}" "$SUITE_TMP/ce.yvm" \
            && "$YVM_OPT" --check -O0 "$SUITE_TMP/ce.yvmb" -o "$SUITE_TMP/ce3.yvm" && cmp -s "$SUITE_TMP/ce.yvm" "$SUITE_TMP/ce3.yvm"; then
            pass "tool: -O2 output's obligations round-trip and are proven again (${ce%%:*})"
        else
            fail "tool: -O2 output's obligations round-trip and are proven again (${ce%%:*})"
        fi
    done
    # When another pass changes a function, its obligations are checked
    # and proven again; those that name deleted values go (dce deletes the
    # unused %i2 of @f here; its other two obligations stay).
    t=$srcdir/testsuite/ir/valid/obligations.yvm
    if "$YVM_OPT" --check --passes=sccp,dce "$t" > "$SUITE_TMP/drop.yvm" \
        && [ "$(grep -c '^obligation @sum' "$SUITE_TMP/drop.yvm")" -eq 1 ] \
        && [ "$(grep -c '^obligation @f %' "$SUITE_TMP/drop.yvm")" -eq 2 ] \
        && ! grep -q '^obligation @f %i2' "$SUITE_TMP/drop.yvm" \
        && [ "$(grep -c '^obligation @f target' "$SUITE_TMP/drop.yvm")" -eq 1 ]; then
        pass "tool: obligations that no longer hold after a pass are dropped"
    else
        fail "tool: obligations that no longer hold after a pass are dropped" "$(grep '^obligation' "$SUITE_TMP/drop.yvm")"
    fi
fi
