# 70-yao.sh - Yao programs: every testsuite/yao/NAME.yao is compiled with
# `yaoc --emit-ir`, the IR must pass yvm-verify, and yvm-run (with the
# runtime, `-l yaort`) must give exactly the stdout, stderr and exit
# status its comment lines expect (the format of 40-run.sh, with `//`):
#   // ARGS: a b c     arguments after the program name
#   // STDIN: text     one line of standard input each
#   // STDOUT: text    one expected line of stdout each (`// STDOUT:` alone:
#                      an empty line); likewise // STDERR: (none: empty)
#   // EXIT: N         expected exit status (default 0)
# yaoc runs in testsuite/yao, so trap locations read NAME.yao:L:C; the
# program runs in a scratch directory of its own as `yvm-run NAME.yvm`,
# so args[0] is NAME.yvm and files it makes stay out of the source tree.

yao_dir=$srcdir/testsuite/yao
yao_tmo=
command -v timeout > /dev/null 2>&1 && yao_tmo="timeout 60"
yao_abs() { (cd "$1" && pwd); }

yao_field() {
    sed -n "s|^[[:space:]]*// $2:[[:space:]]\{0,1\}||p" "$1"
}

YAOC=$builddir/yaoc/yaoc
if [ ! -x "$YAOC" ] || [ ! -x "$YVM_RUN" ]; then
    fail "yaoc or yvm-run missing" "$YAOC, $YVM_RUN"
else
    yao_yaoc=$(yao_abs "$builddir/yaoc")/yaoc
    yao_run=$(yao_abs "$builddir")/yvm-run
    yao_verify=$(yao_abs "$builddir")/yvm-verify
    yao_lib=$(yao_abs "$builddir")/.libs
    yao_src=$(yao_abs "$yao_dir")
    for prog in "$yao_src"/*.yao; do
        [ -f "$prog" ] || continue
        name=$(basename "$prog" .yao)
        base=$(yao_abs "$SUITE_TMP")/$name
        rm -rf "$base.d"
        mkdir -p "$base.d"
        if ! (cd "$yao_src" && $yao_tmo "$yao_yaoc" "$name.yao" --emit-ir -o "$base.d/$name.yvm") \
            > "$base.cout" 2>&1; then
            fail "$name: yaoc failed" "$(head -n 6 "$base.cout")"
            continue
        fi
        if ! "$yao_verify" "$base.d/$name.yvm" > "$base.vout" 2>&1; then
            fail "$name: the IR does not verify" "$(head -n 6 "$base.vout")"
            continue
        fi
        yao_field "$prog" STDOUT > "$base.want_out"
        yao_field "$prog" STDERR > "$base.want_err"
        yao_field "$prog" STDIN > "$base.in"
        want=$(yao_field "$prog" EXIT | tail -n 1)
        want=${want:-0}
        args=$(yao_field "$prog" ARGS | tail -n 1)
        # shellcheck disable=SC2086 # ARGS is split into words on purpose
        (cd "$base.d" && set -f && exec $yao_tmo "$yao_run" -L "$yao_lib" -l yaort \
            "$name.yvm" $args) < "$base.in" > "$base.out" 2> "$base.err"
        got=$?
        if [ "$got" -ne "$want" ]; then
            fail "$name: exit status $got, want $want" "$(head -n 5 "$base.err")"
        elif ! cmp -s "$base.want_out" "$base.out"; then
            fail "$name: stdout differs" "$(diff "$base.want_out" "$base.out" | head -n 10)"
        elif ! cmp -s "$base.want_err" "$base.err"; then
            fail "$name: stderr differs" "$(diff "$base.want_err" "$base.err" | head -n 10)"
        else
            pass "$name"
        fi
    done
fi
