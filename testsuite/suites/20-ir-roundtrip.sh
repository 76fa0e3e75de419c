# 20-ir-roundtrip.sh - the binary form carries everything the text does.
# For every testsuite/ir/valid/*.yvm and testsuite/run/*.yvm, two cases:
#   roundtrip NAME   yvm-as, yvm-dis, yvm-as again: identical bytes
#   dis NAME         yvm-dis of the .yvmb equals yvm-dis of the .yvm
#                    (the canonical print of the text input)
# Then the hand-encoded module in testsuite/ir/binary (made by
# testsuite/ir/mkbin.sh from the layout in docs/ir.md) against the tools,
# stdin/stdout ('-') and yvm-as's default output name.

rt_src=$(cd "$srcdir" && pwd)
rt_tmp=$(cd "$SUITE_TMP" && pwd)
# Absolute, for the cases that run from another directory.
rt_as=$(cd "$(dirname "$YVM_AS")" && pwd)/$(basename "$YVM_AS")
for rt_file in "$rt_src"/testsuite/ir/valid/*.yvm "$rt_src"/testsuite/run/*.yvm; do
    [ -f "$rt_file" ] || continue
    rt_name=$(basename "$(dirname "$rt_file")")/$(basename "$rt_file" .yvm)
    rt_base=$rt_tmp/$(echo "$rt_name" | tr / -)
    if ! "$YVM_AS" "$rt_file" -o "$rt_base.1.yvmb" 2> "$rt_base.err"; then
        fail "roundtrip $rt_name" "yvm-as failed" "$(head -n 3 "$rt_base.err")"
        fail "dis $rt_name" "yvm-as failed"
        continue
    fi
    if ! "$YVM_DIS" "$rt_base.1.yvmb" -o "$rt_base.dis.yvm" 2> "$rt_base.err"; then
        fail "roundtrip $rt_name" "yvm-dis failed" "$(head -n 3 "$rt_base.err")"
        fail "dis $rt_name" "yvm-dis failed"
        continue
    fi
    if ! "$YVM_AS" "$rt_base.dis.yvm" -o "$rt_base.2.yvmb" 2> "$rt_base.err"; then
        fail "roundtrip $rt_name" "yvm-as of the disassembly failed" \
            "$(head -n 3 "$rt_base.err")"
    elif ! cmp -s "$rt_base.1.yvmb" "$rt_base.2.yvmb"; then
        fail "roundtrip $rt_name" "as(dis(as(x))) differs from as(x)" \
            "$(cmp "$rt_base.1.yvmb" "$rt_base.2.yvmb" 2>&1)"
    else
        pass "roundtrip $rt_name"
    fi
    if ! "$YVM_DIS" "$rt_file" > "$rt_base.text.yvm" 2> "$rt_base.err"; then
        fail "dis $rt_name" "yvm-dis of the text failed" "$(head -n 3 "$rt_base.err")"
    elif ! cmp -s "$rt_base.text.yvm" "$rt_base.dis.yvm"; then
        fail "dis $rt_name" "dis of the binary differs from dis of the text" \
            "$(diff "$rt_base.text.yvm" "$rt_base.dis.yvm" | head -n 10)"
    else
        pass "dis $rt_name"
    fi
done

# ---- the hand-encoded module ----
rt_bin=$rt_src/testsuite/ir/binary

# rt_same NAME FILE WANT: pass when FILE has exactly WANT's bytes.
rt_same() {
    if [ -f "$2" ] && cmp -s "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "$2 differs from $3" "$(head -n 3 "$rt_tmp/err" 2>/dev/null)"
    fi
}

: > "$rt_tmp/err"
"$YVM_VERIFY" "$rt_bin/main.yvmb" > "$rt_tmp/out" 2> "$rt_tmp/err"
rt_st=$?
if [ $rt_st -eq 0 ] && [ ! -s "$rt_tmp/out" ] && [ ! -s "$rt_tmp/err" ]; then
    pass "verify hand-encoded main.yvmb"
else
    fail "verify hand-encoded main.yvmb" "exit status $rt_st, or output" \
        "$(head -n 3 "$rt_tmp/err")"
fi

"$YVM_AS" "$rt_bin/main.yvm" -o "$rt_tmp/main.yvmb" 2> "$rt_tmp/err"
rt_same "yvm-as main.yvm gives the documented bytes" "$rt_tmp/main.yvmb" "$rt_bin/main.yvmb"

"$YVM_DIS" "$rt_bin/main.yvmb" > "$rt_tmp/main.dis" 2> "$rt_tmp/err"
rt_same "yvm-dis of the documented bytes" "$rt_tmp/main.dis" "$rt_bin/main.yvm"

# Binary input to yvm-as is re-encoded canonically: the same bytes.
"$YVM_AS" "$rt_bin/main.yvmb" -o "$rt_tmp/again.yvmb" 2> "$rt_tmp/err"
rt_same "yvm-as of a binary input" "$rt_tmp/again.yvmb" "$rt_bin/main.yvmb"

# '-' is stdin; yvm-as writes to stdout when reading stdin.
"$YVM_AS" - < "$rt_bin/main.yvm" > "$rt_tmp/stdin.yvmb" 2> "$rt_tmp/err"
rt_same "yvm-as stdin to stdout" "$rt_tmp/stdin.yvmb" "$rt_bin/main.yvmb"
"$YVM_AS" -o - "$rt_bin/main.yvm" > "$rt_tmp/dash.yvmb" 2> "$rt_tmp/err"
rt_same "yvm-as -o -" "$rt_tmp/dash.yvmb" "$rt_bin/main.yvmb"
"$YVM_DIS" - < "$rt_bin/main.yvmb" > "$rt_tmp/stdin.yvm" 2> "$rt_tmp/err"
rt_same "yvm-dis stdin" "$rt_tmp/stdin.yvm" "$rt_bin/main.yvm"
"$YVM_DIS" -o "$rt_tmp/o.yvm" "$rt_bin/main.yvmb" 2> "$rt_tmp/err"
rt_same "yvm-dis -o" "$rt_tmp/o.yvm" "$rt_bin/main.yvm"
"$YVM_VERIFY" - < "$rt_bin/main.yvmb" > "$rt_tmp/out" 2> "$rt_tmp/err"
rt_st=$?
if [ $rt_st -eq 0 ] && [ ! -s "$rt_tmp/out" ] && [ ! -s "$rt_tmp/err" ]; then
    pass "yvm-verify stdin"
else
    fail "yvm-verify stdin" "exit status $rt_st, or output" "$(head -n 3 "$rt_tmp/err")"
fi

# The default output: NAME.yvm -> NAME.yvmb beside it; other names get
# .yvmb appended.
rm -rf "$rt_tmp/default"
mkdir -p "$rt_tmp/default"
cp "$rt_bin/main.yvm" "$rt_tmp/default/prog.yvm"
cp "$rt_bin/main.yvm" "$rt_tmp/default/prog.ir"
(cd "$rt_tmp/default" && "$rt_as" prog.yvm && "$rt_as" prog.ir) 2> "$rt_tmp/err"
rt_same "yvm-as default output NAME.yvmb" "$rt_tmp/default/prog.yvmb" "$rt_bin/main.yvmb"
rt_same "yvm-as default output NAME.ir.yvmb" "$rt_tmp/default/prog.ir.yvmb" "$rt_bin/main.yvmb"
