# 80-prover.sh - the prover and the rule language (docs/rules.md):
#   - the Check unit tests (testsuite/unit/test_prover*);
#   - every built-in rule (codegen/rules/*.yvmr) proved at every width it
#     claims, one case per rule, through yvm-prove's proof cache
#     ($YVM_PROVER_CACHE, else ~/.cache/yvm/prover: shared by every build
#     of the same prover sources, so that only the first run of a new
#     prover is slow; its keys change with any change to a rule or to the
#     prover, docs/rules.md);
#   - each deliberately wrong rule (testsuite/prover/wrong-*.yvmr)
#     rejected: its `; expect:` line is the start of the rule's output
#     line, each `; expect-also:` text must appear in it, and the exit
#     status is 1; a file with `; expect-error:` is malformed and that is
#     its first line of stderr;
#   - yvm-prove's command line.

t=$SUITE_TMP
YVM_PROVE=$builddir/yvm-prove
prover_dir=$srcdir/testsuite/prover

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
if [ $nwrong -ge 12 ]; then
    pass "at least 12 wrong rules rejected"
else
    fail "at least 12 wrong rules rejected" "only $nwrong"
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
