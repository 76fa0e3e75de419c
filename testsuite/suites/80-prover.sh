# 80-prover.sh - the prover and the rule language (docs/rules.md):
#   - the Check unit tests (testsuite/unit/test_prover*);
#   - every built-in rule (codegen/rules/*.yvmr) proved at every width it
#     claims, one case per rule, through the build directory's proof cache
#     ($builddir/prover-cache, which the build filled when it proved the
#     rules it embeds in yvm-opt; its keys change with any change to a
#     rule, its widths or the prover, docs/rules.md);
#   - the cache is never trusted for a changed rule;
#   - rule items in modules: text and binary round trips, errors;
#   - yvm-opt applies a proven module rule and rejects a wrong one;
#   - each deliberately wrong rule (testsuite/prover/wrong-*.yvmr)
#     rejected: its `; expect:` line is the start of the rule's output
#     line, each `; expect-also:` text must appear in it, and the exit
#     status is 1; a file with `; expect-error:` is malformed and that is
#     its first line of stderr;
#   - yvm-prove's command line.

t=$SUITE_TMP
abs_builddir=$(cd "$builddir" && pwd)
YVM_PROVE=$abs_builddir/yvm-prove
YVM_OPT=$abs_builddir/yvm-opt
prover_dir=$srcdir/testsuite/prover
YVM_PROVER_CACHE=$builddir/prover-cache
export YVM_PROVER_CACHE

# ---- unit tests ----
log=$t/test_prover.log
CK_FORK=yes "$builddir/testsuite/unit/test_prover" > "$log" 2>&1
line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
if [ -z "$line" ]; then
    fail "test_prover" "no Check summary" "$(tail -n 20 "$log")"
else
    checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    failures=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    errors=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    bad=$((failures + errors))
    add_counts $((checks - bad)) $bad
    [ $bad -gt 0 ] && grep -E ':[EF]:' "$log"
fi

# ---- the built-in rules ----
"$YVM_PROVE" "$srcdir"/codegen/rules/*.yvmr > "$t/builtin.out" 2> "$t/builtin.err"
status=$?
nrules=0
while IFS= read -r l; do
    case $l in
    "rule "*": proved at "*) pass "${l%%: proved at *}"; nrules=$((nrules + 1)) ;;
    "rule "*) fail "${l%%: *}" "$l" ;;
    esac
done < "$t/builtin.out"
if [ $status -ne 0 ] || [ -s "$t/builtin.err" ]; then
    fail "built-in rules: yvm-prove exit status $status" "$(head -n 10 "$t/builtin.err")"
fi
if [ $nrules -ge 150 ]; then
    pass "at least 150 built-in rules proved"
else
    fail "at least 150 built-in rules proved" "only $nrules"
fi
# A second run finds every proof in the cache.
"$YVM_PROVE" -q "$srcdir"/codegen/rules/*.yvmr > "$t/again.out" 2>&1
summary=$(tail -n 1 "$t/again.out")
instances=$(echo "$summary" | sed -n 's/.*(\([0-9]*\) instances, \([0-9]*\) from the cache)$/\1/p')
cached=$(echo "$summary" | sed -n 's/.*(\([0-9]*\) instances, \([0-9]*\) from the cache)$/\2/p')
if [ -n "$instances" ] && [ "$instances" = "$cached" ] && [ "$instances" -gt 0 ]; then
    pass "second run from the cache"
else
    fail "second run from the cache" "$summary"
fi

# ---- deliberately wrong rules ----
nwrong=0
for f in "$prover_dir"/wrong-*.yvmr; do
    name=$(basename "$f")
    experr=$(sed -n 's/^; expect-error: //p' "$f")
    if [ -n "$experr" ]; then
        (cd "$prover_dir" && "$YVM_PROVE" --no-cache "$name") > "$t/w.out" 2> "$t/w.err"
        status=$?
        first=$(head -n 1 "$t/w.err")
        if [ $status -eq 1 ] && [ "$first" = "$experr" ]; then
            pass "$name"
        else
            fail "$name: malformed" "exit status $status (want 1)" "stderr: $first" \
                "want:   $experr"
        fi
        continue
    fi
    expect=$(sed -n 's/^; expect: //p' "$f")
    exact=$(sed -n 's/^; expect-exact: //p' "$f")
    [ -n "$exact" ] && expect=$exact
    rule=$(echo "$expect" | sed -n 's/^rule \([^:]*\):.*/\1/p')
    "$YVM_PROVE" --no-cache "$f" > "$t/w.out" 2> "$t/w.err"
    status=$?
    got=$(grep "^rule $rule: " "$t/w.out")
    why=
    [ -z "$expect" ] && why="no '; expect:' line"
    [ $status -eq 1 ] || why="exit status $status (want 1)"
    [ -s "$t/w.err" ] && why="stderr: $(head -n 1 "$t/w.err")"
    case $got in
    "$expect"*) ;;
    *) why="the line does not start with: $expect" ;;
    esac
    # A counterexample Z3 finds under a fixed resource limit is the same
    # on every run: where the file gives it, the whole line must match.
    if [ -n "$exact" ] && [ "$got" != "$exact" ]; then
        why="want exactly: $exact"
    fi
    case $got in
    *" wrong at "* | *" vacuous at "*) ;;
    *) why="not rejected as wrong: $got" ;;
    esac
    sed -n 's/^; expect-also: //p' "$f" > "$t/also"
    while IFS= read -r also; do
        case $got in
        *"$also"*) ;;
        *) why="missing '$also'" ;;
        esac
    done < "$t/also"
    if [ -z "$why" ]; then
        pass "$name"
        nwrong=$((nwrong + 1))
    else
        fail "$name" "$why" "got: $got"
    fi
done
if [ $nwrong -ge 25 ]; then
    pass "at least 25 wrong rules rejected"
else
    fail "at least 25 wrong rules rejected" "only $nwrong"
fi

# ---- the command line ----

# expect NAME STATUS FIRST-STDERR-LINE CMD...
expect() {
    name=$1 want_status=$2 want_err=$3
    shift 3
    "$@" > "$t/cli.out" 2> "$t/cli.err" < /dev/null
    got=$?
    first=$(head -n 1 "$t/cli.err")
    if [ "$got" -eq "$want_status" ] && [ "$first" = "$want_err" ]; then
        pass "yvm-prove $name"
    else
        fail "yvm-prove $name" "exit status $got (want $want_status)" \
            "stderr: $first" "want:   $want_err"
    fi
}

cat > "$t/ok.yvmr" << 'EOF'
; two right rules
rule not-plus-const widths 1,8,16,32,64
  %nx = xor T %x, -1
  %r = add T %nx, C
=>
  %r = sub T C-1, %x

rule mul-pow2 widths 8..64 pre isPowerOf2(C)
  %r = mul T %x, C
=>
  %r = shl T %x, log2(C)
EOF
printf 'rule r\n  %%r = add T %%x, 1\n' > "$t/bad.yvmr"

expect "--help" 0 "" "$YVM_PROVE" --help
grep -q '^usage: yvm-prove ' "$t/cli.out" && pass "yvm-prove --help text" ||
    fail "yvm-prove --help text"
expect "--version" 0 "" "$YVM_PROVE" --version
expect "no file" 2 "yvm-prove: error: no rule file given" "$YVM_PROVE"
expect "unknown option" 2 "yvm-prove: error: unknown option '--frob'" "$YVM_PROVE" --frob "$t/ok.yvmr"
expect "bad widths" 2 "yvm-prove: error: bad width list '7'" "$YVM_PROVE" --widths 7 "$t/ok.yvmr"
expect "bad rlimit" 2 "yvm-prove: error: bad resource limit 'x'" "$YVM_PROVE" --rlimit x "$t/ok.yvmr"
expect "-j without a value" 2 "yvm-prove: error: option '-j' needs a value" "$YVM_PROVE" -j
expect "missing file" 1 "$t/nope.yvmr: error: cannot open: No such file or directory" \
    "$YVM_PROVE" "$t/nope.yvmr"
expect "malformed file" 1 "$t/bad.yvmr:3:1: error: expected '=>' between the source and the target, found end of file" \
    "$YVM_PROVE" --no-cache "$t/bad.yvmr"
expect "right rules" 0 "" "$YVM_PROVE" --no-cache -j 2 "$t/ok.yvmr"
printf '%s\n' "rule not-plus-const: proved at i1 i8 i16 i32 i64" \
    "rule mul-pow2: proved at i8 i16 i32 i64" \
    "2 rules: 2 proved, 0 wrong, 0 vacuous, 0 unknown (9 instances, 0 from the cache)" > "$t/ok.want"
cmp -s "$t/ok.want" "$t/cli.out" && pass "yvm-prove output" ||
    fail "yvm-prove output" "$(diff "$t/ok.want" "$t/cli.out")"
expect "--widths" 0 "" "$YVM_PROVE" --no-cache --widths 8,64 -q "$t/ok.yvmr"
grep -q '(4 instances, 0 from the cache)$' "$t/cli.out" && pass "yvm-prove --widths count" ||
    fail "yvm-prove --widths count" "$(cat "$t/cli.out")"
expect "a malformed file among good ones" 1 \
    "$t/bad.yvmr:3:1: error: expected '=>' between the source and the target, found end of file" \
    "$YVM_PROVE" --no-cache "$t/bad.yvmr" "$t/ok.yvmr"
grep -q '^rule mul-pow2: proved at' "$t/cli.out" && pass "yvm-prove proves the good file" ||
    fail "yvm-prove proves the good file" "$(cat "$t/cli.out")"

# --print gives canonical text that reads back to the same text.
expect "--print" 0 "" "$YVM_PROVE" --print "$srcdir"/codegen/rules/*.yvmr
cp "$t/cli.out" "$t/canon.yvmr"
expect "--print again" 0 "" "$YVM_PROVE" --print "$t/canon.yvmr"
cmp -s "$t/canon.yvmr" "$t/cli.out" && pass "canonical text is stable" ||
    fail "canonical text is stable" "$(diff "$t/canon.yvmr" "$t/cli.out" | head -n 10)"

# ---- the cache is never trusted for a changed rule ----
cache=$t/cache
cat > "$t/c1.yvmr" << 'EOF2'
rule add-sub widths 8..64
  %a = add T %x, C
  %r = sub T %a, C
=>
  %r = %x
EOF2
# The same rule with a different constant in the target: now wrong.
sed 's/  %r = %x/  %r = add T %x, 1/' "$t/c1.yvmr" > "$t/c2.yvmr"
# The same rule claiming one width more.
sed 's/widths 8..64/widths 1..64/' "$t/c1.yvmr" > "$t/c3.yvmr"
"$YVM_PROVE" --cache-dir "$cache" "$t/c1.yvmr" > "$t/c.out" 2>&1
"$YVM_PROVE" --cache-dir "$cache" "$t/c1.yvmr" > "$t/c.out" 2>&1
if tail -n 1 "$t/c.out" | grep -q '(4 instances, 4 from the cache)$'; then
    pass "cache: an unchanged rule is found"
else
    fail "cache: an unchanged rule is found" "$(cat "$t/c.out")"
fi
"$YVM_PROVE" --cache-dir "$cache" "$t/c2.yvmr" > "$t/c.out" 2>&1
status=$?
if [ $status -eq 1 ] && grep -q '^rule add-sub: wrong at i8: x = ' "$t/c.out"; then
    pass "cache: a changed rule is proved again (and is wrong)"
else
    fail "cache: a changed rule is proved again (and is wrong)" "$(cat "$t/c.out")"
fi
"$YVM_PROVE" --cache-dir "$cache" "$t/c3.yvmr" > "$t/c.out" 2>&1
# Its text changed (the widths it claims are part of it): nothing is
# taken from the cache, not even the widths proved before.
if tail -n 1 "$t/c.out" | grep -q '(5 instances, 0 from the cache)$'; then
    pass "cache: a rule claiming more widths is proved again"
else
    fail "cache: a rule claiming more widths is proved again" "$(cat "$t/c.out")"
fi
# An entry planted under another key proves nothing: the cache holds
# keys of (prover, rule text, widths), and an empty cache dir of junk
# does not make the wrong rule proved.
mkdir -p "$t/junk/00" && echo "proved" > "$t/junk/00/junk"
"$YVM_PROVE" --cache-dir "$t/junk" "$t/c2.yvmr" > "$t/c.out" 2>&1
[ $? -eq 1 ] && pass "cache: junk entries prove nothing" ||
    fail "cache: junk entries prove nothing" "$(cat "$t/c.out")"

# ---- rule items in modules (text and binary) ----
cat > "$t/m.yvm" << 'EOF2'
module "m"

export func @times10(i32 %x) -> i32 {
entry:
  %r = mul i32 %x, 10
  ret %r
}

rule mul-ten {   ; a rule the optimiser does not know
  widths T = 8, 16, 32, 64
  %r = mul T %x, 10   ; } in a comment does not end the item
=>
  %s = shl T %x, 3
  %t = shl T %x, 1
  %r = add T %s, %t
}

func @f(i8 %x) -> i8 {
entry:
  ret %x
}
EOF2
cat > "$t/m.want" << 'EOF2'
module "m"

export func @times10(i32 %x) -> i32 {
entry:
  %r = mul i32 %x, 10
  ret %r
}

func @f(i8 %x) -> i8 {
entry:
  ret %x
}

rule mul-ten {
  widths T = 8, 16, 32, 64
  %r = mul T %x, 10
=>
  %s = shl T %x, 3
  %t = shl T %x, 1
  %r = add T %s, %t
}
EOF2
"$YVM_DIS" "$t/m.yvm" > "$t/m.dis" 2>&1
cmp -s "$t/m.want" "$t/m.dis" && pass "rule item: canonical text" ||
    fail "rule item: canonical text" "$(diff "$t/m.want" "$t/m.dis")"
"$YVM_AS" "$t/m.yvm" -o "$t/m.yvmb" && "$YVM_DIS" "$t/m.yvmb" > "$t/m.dis2" 2>&1
cmp -s "$t/m.want" "$t/m.dis2" && pass "rule item: binary round trip" ||
    fail "rule item: binary round trip" "$(diff "$t/m.want" "$t/m.dis2")"
"$YVM_AS" "$t/m.dis2" -o "$t/m2.yvmb"
cmp -s "$t/m.yvmb" "$t/m2.yvmb" && pass "rule item: binary is canonical" ||
    fail "rule item: binary is canonical"
# A module with rules is version 2; without, version 1 as before.
v=$(od -An -tx1 -j4 -N1 "$t/m.yvmb" | tr -d ' ')
[ "$v" = 02 ] && pass "rule item: binary version 2" || fail "rule item: binary version 2" "got $v"
printf 'func @f() {\nentry:\n  ret\n}\n' > "$t/plain.yvm"
"$YVM_AS" "$t/plain.yvm" -o "$t/plain.yvmb"
v=$(od -An -tx1 -j4 -N1 "$t/plain.yvmb" | tr -d ' ')
[ "$v" = 01 ] && pass "no rule item: binary version 1" || fail "no rule item: binary version 1" "got $v"
# Damage the rule text inside the binary: a located binary error.
sz=$(wc -c < "$t/m.yvmb")
off=$((sz - 3))
head -c "$off" "$t/m.yvmb" > "$t/bad.yvmb"; printf 'X\n}\n' >> "$t/bad.yvmb"
"$YVM_DIS" "$t/bad.yvmb" > /dev/null 2> "$t/bad.err"
status=$?
case $(head -n 1 "$t/bad.err") in
"$t/bad.yvmb:byte "*": error: malformed rule (line "*) [ $status -eq 1 ] && pass "rule item: damaged binary" ||
    fail "rule item: damaged binary" "exit $status" ;;
*) fail "rule item: damaged binary" "$(head -n 1 "$t/bad.err")" ;;
esac

# expect_err NAME FIRST-STDERR-LINE TEXT: yvm-verify rejects the module.
expect_err() {
    printf '%b' "$3" > "$t/e.yvm"
    (cd "$t" && "$abs_builddir/yvm-verify" e.yvm) > /dev/null 2> "$t/e.err"
    status=$?
    if [ $status -eq 1 ] && [ "$(head -n 1 "$t/e.err")" = "$2" ]; then
        pass "rule item: $1"
    else
        fail "rule item: $1" "exit $status" "got:  $(head -n 1 "$t/e.err")" "want: $2"
    fi
}
expect_err "no braces" "e.yvm:1:8: error: expected '{' after the rule name" \
    'rule a \n  %r = add T %x, 0\n=>\n  %r = %x\n}\n'
expect_err "unterminated" "e.yvm:1:1: error: unterminated rule item: expected '}'" \
    'rule a {\n  %r = add T %x, 0\n=>\n  %r = %x\n'
expect_err "no target" "e.yvm:3:1: error: expected '=>' between the source and the target, found '}'" \
    'rule a {\n  %r = add T %x, 0\n}\n'
expect_err "defined twice" "e.yvm:6:6: error: rule 'a' is defined twice" \
    'rule a {\n  %r = add T %x, 0\n=>\n  %r = %x\n}\nrule a {\n  %r = add T %x, 0\n=>\n  %r = %x\n}\n'
expect_err "unknown name in the rule" "e.yvm:2:18: error: unknown name 'f32' in an expression" \
    'rule a {\n  %r = add T %x, f32\n=>\n  %r = %x\n}\n'

# ---- yvm-opt: module rules are proven, then applied or rejected ----
YVM_PROVER_CACHE=$t/opt-cache "$YVM_OPT" "$t/m.yvm" > "$t/o.out" 2> "$t/o.err"
status=$?
if [ $status -eq 0 ] && grep -q '^  %[0-9a-z]* = shl i32 %x, 3$' "$t/o.out" &&
    grep -q '^  %[0-9a-z]* = shl i32 %x, 1$' "$t/o.out" &&
    grep -q '^  %r = add i32 %[0-9a-z]*, %[0-9a-z]*$' "$t/o.out" && ! grep -q 'mul i32' "$t/o.out"; then
    pass "yvm-opt applies a proven module rule"
else
    fail "yvm-opt applies a proven module rule" "exit $status" "$(cat "$t/o.err" "$t/o.out")"
fi
# Without the rule item the multiplication stays: it was the module's rule.
sed '/^rule mul-ten/,$d' "$t/m.yvm" > "$t/m0.yvm"
"$YVM_OPT" "$t/m0.yvm" > "$t/o.out" 2> "$t/o.err"
grep -q '^  %r = mul i32 %x, 10$' "$t/o.out" && pass "yvm-opt without the module rule" ||
    fail "yvm-opt without the module rule" "$(cat "$t/o.err" "$t/o.out")"
cat > "$t/w.yvm" << 'EOF2'
func @f(i8 %x) -> i8 {
entry:
  %a = udiv i8 %x, 5
  %r = udiv i8 %a, 115
  ret %r
}

rule udiv-udiv {
  %a = udiv T %x, C1
  %r = udiv T %a, C2
=>
  %r = udiv T %x, C1 * C2
}
EOF2
(cd "$t" && YVM_PROVER_CACHE=$t/opt-cache "$abs_builddir/yvm-opt" w.yvm) > "$t/o.out" 2> "$t/o.err"
status=$?
first=$(head -n 1 "$t/o.err")
case $first in
"w.yvm:8:1: error: rule 'udiv-udiv' is wrong at i8: x = "*", C1 = "*", C2 = "*": source "*", target "*)
    if [ $status -eq 1 ] && [ ! -s "$t/o.out" ]; then
        pass "yvm-opt rejects a wrong module rule"
    else
        fail "yvm-opt rejects a wrong module rule" "exit $status"
    fi ;;
*) fail "yvm-opt rejects a wrong module rule" "exit $status" "$first" ;;
esac
# The counterexample is real: run both sides at those inputs.
x=$(echo "$first" | sed -n 's/.* x = \([0-9]*\), C1 = \([0-9]*\), C2 = \([0-9]*\): source \([0-9]*\), target \([0-9]*\)$/\1 \2 \3 \4 \5/p')
set -- $x
if [ $# -eq 5 ] && [ $(( ($1 / $2) / $3 )) -eq "$4" ] &&
    [ $(( $1 / (($2 * $3) % 256) )) -eq "$5" ] && [ "$4" -ne "$5" ]; then
    pass "yvm-opt's counterexample is real"
else
    fail "yvm-opt's counterexample is real" "$first"
fi
