# 72-yao-examples.sh - the programs in examples/*.yao at small sizes:
# testsuite/yao-examples/NAME-ARG.out (or NAME.out: no argument) holds the
# exact expected output of `NAME ARG`. Each example is compiled with
# `yaoc --emit-ir`, verified and run by yvm-run with the Yao runtime, and
# compiled to a native executable (`yaoc NAME.yao -o NAME`) and run.
# Expected outputs: nbody, fannkuch-redux, spectral-norm and binary-trees
# are the Benchmarks Game's published ones; mandelbrot-200 and fasta-1000
# come from the C references beside them (written from the task
# descriptions; the fasta lines match the published output's).

yex_dir=$srcdir/testsuite/yao-examples
yex_src=$srcdir/examples
yex_tmo=
command -v timeout > /dev/null 2>&1 && yex_tmo="timeout 120"
if [ ! -x "$builddir/yaoc/yaoc" ] || [ ! -x "$YVM_RUN" ]; then
    fail "yaoc or yvm-run missing" "$builddir/yaoc/yaoc, $YVM_RUN"
else
    yex_lib=$(cd "$builddir" && pwd)/.libs
    for want in "$yex_dir"/*.out; do
        [ -f "$want" ] || continue
        case_name=$(basename "$want" .out)
        name=${case_name%-[0-9]*}
        arg=${case_name#"$name"}
        arg=${arg#-}
        base=$SUITE_TMP/ex-$case_name
        if ! "$builddir/yaoc/yaoc" "$yex_src/$name.yao" --emit-ir -o "$base.yvm" > "$base.cout" 2>&1; then
            fail "example $name: yaoc failed" "$(head -n 6 "$base.cout")"
            continue
        fi
        if ! "$YVM_VERIFY" "$base.yvm" > "$base.vout" 2>&1; then
            fail "example $name: the IR does not verify" "$(head -n 6 "$base.vout")"
            continue
        fi
        # shellcheck disable=SC2086 # no argument when arg is empty
        $yex_tmo "$YVM_RUN" -L "$yex_lib" -l yaort "$base.yvm" $arg < /dev/null > "$base.out" 2> "$base.err"
        got=$?
        if [ "$got" -ne 0 ]; then
            fail "example $case_name: exit status $got" "$(head -n 5 "$base.err")"
        elif ! cmp -s "$want" "$base.out"; then
            fail "example $case_name: output differs" "$(cmp "$want" "$base.out" 2>&1 | head -n 3)"
        else
            pass "example $case_name"
        fi
        # The same example as a native executable.
        if ! "$builddir/yaoc/yaoc" "$yex_src/$name.yao" -o "$base.exe" > "$base.ncout" 2>&1; then
            fail "example $name (native): yaoc failed" "$(head -n 6 "$base.ncout")"
            continue
        fi
        # shellcheck disable=SC2086 # no argument when arg is empty
        $yex_tmo "$base.exe" $arg < /dev/null > "$base.nout" 2> "$base.nerr"
        got=$?
        if [ "$got" -ne 0 ]; then
            fail "example $case_name (native): exit status $got" "$(head -n 5 "$base.nerr")"
        elif ! cmp -s "$want" "$base.nout"; then
            fail "example $case_name (native): output differs" "$(cmp "$want" "$base.nout" 2>&1 | head -n 3)"
        else
            pass "example $case_name (native)"
        fi
    done
fi
