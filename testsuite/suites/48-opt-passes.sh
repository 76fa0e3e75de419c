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
fi
