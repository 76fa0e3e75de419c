# 70-yao.sh - Yao programs: every testsuite/yao/NAME.yao is compiled with
# `yaoc --emit-ir`, the IR must pass yvm-verify, and yvm-run (with the
# runtime, `-l yaort`) must give exactly the stdout, stderr and exit
# status its comment lines expect (the format of 40-run.sh, with `//`):
#   // ARGS: a b c     arguments after the program name
#   // STDIN: text     one line of standard input each
#   // STDOUT: text    one expected line of stdout each (`// STDOUT:` alone:
#                      an empty line); likewise // STDERR: (none: empty)
#   // EXIT: N         expected exit status (default 0)
#   // SOURCES: a.yao  further source files for the yaoc command line
# yaoc runs in testsuite/yao, so trap locations read NAME.yao:L:C; the
# program runs in a scratch directory of its own as `yvm-run NAME.yvm`,
# so args[0] is NAME.yvm and files it makes stay out of the source tree.
# Then it is compiled natively at each level of YAO_LEVELS (default
# "-O1 -O2": the IR optimiser's pipelines, then the code generator) and
# must behave the same (yao_native).

yao_dir=$srcdir/testsuite/yao
yao_tmo=
command -v timeout > /dev/null 2>&1 && yao_tmo="timeout 60"
yao_abs() { (cd "$1" && pwd); }

yao_field() {
    sed -n "s|^[[:space:]]*// $2:[[:space:]]\{0,1\}||p" "$1"
}

# The same program compiled natively (`yaoc NAME.yao -o ...`) must give
# the same results. The executable is named NAME.yvm and run through PATH,
# so that args[0] reads the same as under yvm-run. YAO_NATIVE=no skips it.
# $5 is the optimisation level.
yao_native() {
    if [ "${YAO_NATIVE:-yes}" = no ]; then
        pass "$1"
        return
    fi
    rm -rf "$2.n"
    mkdir -p "$2.n"
    # shellcheck disable=SC2086 # SOURCES is split into words on purpose
    if ! (cd "$yao_src" && $yao_tmo "$yao_yaoc" "$5" "$1.yao" $srcs -o "$2.n/$1.yvm") > "$2.ncout" 2>&1; then
        fail "$1 (native $5): yaoc failed" "$(head -n 6 "$2.ncout")"
        return
    fi
    # shellcheck disable=SC2086 # ARGS is split into words on purpose
    (cd "$2.d" && set -f && PATH=$2.n:$PATH && exec $yao_tmo "$1.yvm" $4) \
        < "$2.in" > "$2.nout" 2> "$2.nerr"
    got=$?
    if [ "$got" -ne "$3" ]; then
        fail "$1 (native $5): exit status $got, want $3" "$(head -n 5 "$2.nerr")"
    elif ! cmp -s "$2.want_out" "$2.nout"; then
        fail "$1 (native $5): stdout differs" "$(diff "$2.want_out" "$2.nout" | head -n 10)"
    elif ! cmp -s "$2.want_err" "$2.nerr"; then
        fail "$1 (native $5): stderr differs" "$(diff "$2.want_err" "$2.nerr" | head -n 10)"
    else
        pass "$1 (native $5)"
    fi
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
        srcs=$(yao_field "$prog" SOURCES | tail -n 1)
        # shellcheck disable=SC2086 # SOURCES is split into words on purpose
        if ! (cd "$yao_src" && $yao_tmo "$yao_yaoc" "$name.yao" $srcs --emit-ir -o "$base.d/$name.yvm") \
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
            for level in ${YAO_LEVELS:--O1 -O2}; do
                yao_native "$name" "$base" "$want" "$args" "$level"
            done
        fi
    done
fi
