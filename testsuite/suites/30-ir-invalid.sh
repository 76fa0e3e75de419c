# 30-ir-invalid.sh - the invalid-input corpus and the tools' usage errors.
#
# Every testsuite/ir/invalid/NAME.yvm (first line `; expect: LINE`) and
# NAME.yvmb (LINE in NAME.yvmb.expect) is run from inside that directory
# as `yvm-verify NAME` and as `yvm-as NAME -o OUT`: each must exit with
# status 1, print LINE as the first line of stderr, and yvm-as must not
# write OUT. Then, for each tool: --help and --version (exit 0, on
# stdout), usage errors (exit 2), an unreadable file and stdin input.

iv_dir=$(cd "$srcdir/testsuite/ir/invalid" && pwd)
iv_tmp=$(cd "$SUITE_TMP" && pwd)
iv_abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
iv_as=$(iv_abs "$YVM_AS")
iv_dis=$(iv_abs "$YVM_DIS")
iv_verify=$(iv_abs "$YVM_VERIFY")

# iv_expect CASE STATUS WANT_STATUS WANT_LINE: compare the status and the
# first line of $iv_tmp/err with what is wanted.
iv_expect() {
    iv_got=$(head -n 1 "$iv_tmp/err")
    if [ "$2" -ne "$3" ]; then
        fail "$1" "exit status $2, want $3" "$(head -n 3 "$iv_tmp/err")"
    elif [ "$iv_got" != "$4" ]; then
        fail "$1" "wrong first line of stderr" "want: $4" " got: $iv_got"
    else
        pass "$1"
    fi
}

for iv_file in "$iv_dir"/*.yvm "$iv_dir"/*.yvmb; do
    [ -f "$iv_file" ] || continue
    iv_name=$(basename "$iv_file")
    case $iv_name in
    *.yvm) iv_want=$(sed -n '1s/^; expect: //p' "$iv_file") ;;
    *) iv_want=$(head -n 1 "$iv_file.expect" 2>/dev/null) ;;
    esac
    if [ -z "$iv_want" ]; then
        fail "verify $iv_name" "no expected message (first line '; expect: ...' or NAME.yvmb.expect)"
        continue
    fi

    (cd "$iv_dir" && "$iv_verify" "$iv_name") > /dev/null 2> "$iv_tmp/err"
    iv_expect "verify $iv_name" $? 1 "$iv_want"

    rm -f "$iv_tmp/out.yvmb"
    (cd "$iv_dir" && "$iv_as" "$iv_name" -o "$iv_tmp/out.yvmb") > /dev/null 2> "$iv_tmp/err"
    iv_st=$?
    if [ -e "$iv_tmp/out.yvmb" ]; then
        fail "as $iv_name" "yvm-as wrote an output file for invalid input"
    else
        iv_expect "as $iv_name" $iv_st 1 "$iv_want"
    fi
done

# ---- the tools' command lines ----

# A binary input read from stdin is named <stdin>.
"$iv_verify" - < "$iv_dir/bin-bad-magic.yvmb" > /dev/null 2> "$iv_tmp/err"
iv_expect "verify stdin" $? 1 "<stdin>:byte 3: error: bad magic (not a yvm binary module)"

for iv_tool in yvm-as yvm-dis yvm-verify; do
    case $iv_tool in
    yvm-as) iv_bin=$iv_as ;;
    yvm-dis) iv_bin=$iv_dis ;;
    *) iv_bin=$iv_verify ;;
    esac

    "$iv_bin" --help > "$iv_tmp/out" 2> "$iv_tmp/err"
    iv_st=$?
    if [ $iv_st -eq 0 ] && head -n 1 "$iv_tmp/out" | grep -q "^usage: $iv_tool " &&
        grep -q -- '--version' "$iv_tmp/out" && [ ! -s "$iv_tmp/err" ]; then
        pass "$iv_tool --help"
    else
        fail "$iv_tool --help" "exit status $iv_st, or no usage line on stdout"
    fi

    "$iv_bin" --version > "$iv_tmp/out" 2> "$iv_tmp/err"
    iv_st=$?
    if [ $iv_st -eq 0 ] && grep -q "^$iv_tool (yvm) [0-9]" "$iv_tmp/out" && [ ! -s "$iv_tmp/err" ]; then
        pass "$iv_tool --version"
    else
        fail "$iv_tool --version" "exit status $iv_st, or no version on stdout"
    fi

    "$iv_bin" > /dev/null 2> "$iv_tmp/err"
    iv_expect "$iv_tool without a file" $? 2 "$iv_tool: error: no input file"

    "$iv_bin" --bogus x.yvm > /dev/null 2> "$iv_tmp/err"
    iv_expect "$iv_tool unknown option" $? 2 "$iv_tool: error: unknown option '--bogus'"

    "$iv_bin" a.yvm b.yvm > /dev/null 2> "$iv_tmp/err"
    iv_expect "$iv_tool two files" $? 2 "$iv_tool: error: more than one input file"

    (cd "$iv_tmp" && "$iv_bin" no-such-file.yvm) > /dev/null 2> "$iv_tmp/err"
    iv_expect "$iv_tool missing file" $? 1 \
        "no-such-file.yvm: error: cannot open: No such file or directory"

    if [ $iv_tool != yvm-verify ]; then
        "$iv_bin" x.yvm -o > /dev/null 2> "$iv_tmp/err"
        iv_expect "$iv_tool -o without a file" $? 2 "$iv_tool: error: option '-o' needs a file name"
        "$iv_bin" -o a -o b x.yvm > /dev/null 2> "$iv_tmp/err"
        iv_expect "$iv_tool -o twice" $? 2 "$iv_tool: error: option '-o' given twice"
    fi
done
