# 45-libyvm.sh - libyvm as embedders use it, and yvm-run's command line:
# the API unit tests (Check), examples/embed, and yvm-run's options, exit
# statuses and error messages.

t=$SUITE_TMP

# ---- the API unit tests ----
log=$t/test_libyvm.log
CK_FORK=yes "$builddir/testsuite/unit/test_libyvm" > "$log" 2>&1
line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
if [ -z "$line" ]; then
    fail "test_libyvm" "no Check summary" "$(head -n 20 "$log")"
else
    checks=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    failures=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    errors=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    bad=$((failures + errors))
    add_counts $((checks - bad)) $bad
    [ $bad -gt 0 ] && grep -E ':[EF]:' "$log"
fi

# ---- the embedding example ----
"$builddir/examples/embed/embed" > "$t/embed.out" 2> "$t/embed.err"
status=$?
printf '%s\n' "sum_to(10) = 550" "div(84, 2) = 42" \
    "div(84, 0) -> trap: trap: division by zero" > "$t/embed.want"
if [ $status -eq 0 ] && cmp -s "$t/embed.want" "$t/embed.out" && [ ! -s "$t/embed.err" ]; then
    pass embed
else
    fail embed "exit status $status" "$(diff "$t/embed.want" "$t/embed.out")" \
        "$(head -n 5 "$t/embed.err")"
fi

# ---- yvm-run's command line ----

# expect NAME STATUS FIRST-STDERR-LINE CMD...: the exit status and the
# first line of stderr ("" for an empty stderr).
expect() {
    name=$1 want_status=$2 want_err=$3
    shift 3
    "$@" > "$t/cli.out" 2> "$t/cli.err" < /dev/null
    got=$?
    first=$(head -n 1 "$t/cli.err")
    if [ "$got" -eq "$want_status" ] && [ "$first" = "$want_err" ]; then
        pass "yvm-run $name"
    else
        fail "yvm-run $name" "exit status $got (want $want_status)" \
            "stderr: $first" "want:   $want_err"
    fi
}

cat > "$t/deep.yvm" << 'EOF'
; main calls down(98 + argc): with no argument 101 frames deep, and
; the exit status is 99
func @down(i64 %n) -> i64 {
entry:
  %z = icmp eq i64 %n, 0
  condbr %z, done, more
done:
  ret 0
more:
  %m = sub i64 %n, 1
  %r = call @down(i64 %m)
  %r1 = add i64 %r, 1
  ret %r1
}
export func @main(i32 %argc, ptr %argv) -> i32 {
entry:
  %a = sext i32 %argc to i64
  %n = add i64 %a, 98
  %r = call @down(i64 %n)
  %r32 = trunc i64 %r to i32
  ret %r32
}
EOF
cat > "$t/unresolved.yvm" << 'EOF'
extern func @puts(ptr) -> i32
extern func @yvm_no_such_function(i32) -> i32
export func @main() -> i32 {
entry:
  ret 0
}
EOF
cat > "$t/gmp.yvm" << 'EOF'
; -l gmp: GMP's mpz functions are not in yvm-run itself
extern func @__gmpz_init(ptr)
extern func @__gmpz_set_ui(ptr, i64)
extern func @__gmpz_mul_ui(ptr, ptr, i64)
extern func @__gmpz_get_ui(ptr) -> i64
extern func @__gmpz_clear(ptr)
export func @main() -> i32 {
entry:
  %z = alloca 32, align 8
  call @__gmpz_init(ptr %z)
  call @__gmpz_set_ui(ptr %z, i64 6)
  call @__gmpz_mul_ui(ptr %z, ptr %z, i64 7)
  %v = call @__gmpz_get_ui(ptr %z)
  call @__gmpz_clear(ptr %z)
  %r = trunc i64 %v to i32
  ret %r
}
EOF

expect "--help" 0 "" "$YVM_RUN" --help
if ! grep -q '^usage: yvm-run ' "$t/cli.out"; then fail "yvm-run --help text"; else pass "yvm-run --help text"; fi
expect "--version" 0 "" "$YVM_RUN" --version
if ! grep -q '^yvm-run (yvm) ' "$t/cli.out"; then fail "yvm-run --version text"; else pass "yvm-run --version text"; fi
expect "no program" 2 "yvm-run: error: no program given" "$YVM_RUN"
expect "unknown option" 2 "yvm-run: error: unknown option '--bogus'" "$YVM_RUN" --bogus "$t/deep.yvm"
expect "bad depth" 2 "yvm-run: error: bad call-depth limit '0'" "$YVM_RUN" --max-depth 0 "$t/deep.yvm"
expect "-l without a value" 2 "yvm-run: error: option '-l' needs a value" "$YVM_RUN" -l
expect "missing file" 1 "$t/nope.yvm: error: cannot open: No such file or directory" \
    "$YVM_RUN" "$t/nope.yvm"
expect "unresolved extern" 1 "$t/unresolved.yvm:2:13: error: unresolved extern function '@yvm_no_such_function'" \
    "$YVM_RUN" "$t/unresolved.yvm"
expect "depth within the limit" 99 "" "$YVM_RUN" --max-depth 101 "$t/deep.yvm"
expect "depth past the limit" 134 "trap: stack overflow" "$YVM_RUN" --max-depth 100 "$t/deep.yvm"
expect "--max-depth=N" 134 "trap: stack overflow" "$YVM_RUN" --max-depth=50 "$t/deep.yvm"
expect "-l gmp" 42 "" "$YVM_RUN" -l gmp "$t/gmp.yvm"
expect "-lgmp -L dir" 42 "" "$YVM_RUN" -L "$t" -lgmp "$t/gmp.yvm"
expect "without -l gmp" 1 "$t/gmp.yvm:2:13: error: unresolved extern function '@__gmpz_init'" \
    "$YVM_RUN" "$t/gmp.yvm"
expect "missing library" 1 \
    "yvm: error: cannot load library 'yvm_no_such_lib': libyvm_no_such_lib.so: cannot open shared object file: No such file or directory" \
    "$YVM_RUN" -l yvm_no_such_lib "$t/deep.yvm"
expect "program from stdin" 99 "" sh -c '"$1" - < "$2"' sh "$YVM_RUN" "$t/deep.yvm"
