# 71-yao-errors.sh - invalid Yao programs: each testsuite/yao-errors/NAME.yao
# holds one or more lines `// expect: <diagnostic>`; yaoc must exit 1,
# write no output file, and the first error lines of its stderr (the lines
# that are not the indented source line and caret) must be exactly the
# expected ones, in order.

yerr_dir=$srcdir/testsuite/yao-errors
YAOC=$builddir/yaoc/yaoc
if [ ! -x "$YAOC" ]; then
    fail "yaoc missing" "$YAOC is not built"
else
    yerr_yaoc=$(cd "$builddir/yaoc" && pwd)/yaoc
    yerr_tmp=$(cd "$SUITE_TMP" && pwd)
    for prog in "$yerr_dir"/*.yao; do
        [ -f "$prog" ] || continue
        name=$(basename "$prog" .yao)
        base=$yerr_tmp/$name
        rm -f "$base.yvm"
        sed -n 's|^// expect: ||p' "$prog" > "$base.want"
        n=$(wc -l < "$base.want")
        if [ "$n" -eq 0 ]; then
            fail "$name: no '// expect:' line"
            continue
        fi
        (cd "$yerr_dir" && exec "$yerr_yaoc" "$name.yao" --emit-ir -o "$base.yvm") \
            > /dev/null 2> "$base.err"
        got=$?
        grep -v '^  ' "$base.err" | head -n "$n" > "$base.got"
        if [ "$got" -ne 1 ]; then
            fail "$name: exit status $got, want 1" "$(head -n 4 "$base.err")"
        elif [ -e "$base.yvm" ]; then
            fail "$name: an output file was written"
        elif ! cmp -s "$base.want" "$base.got"; then
            fail "$name: diagnostics differ" "$(diff "$base.want" "$base.got" | head -n 8)"
        else
            pass "$name"
        fi
    done
fi
