# 40-run.sh - the program corpus: every testsuite/run/NAME.yvm runs through
# yvm-run and must give exactly the stdout, stderr and exit status its
# comment lines expect (docs/testing.md):
#   ; ARGS: a b c     arguments after the program name
#   ; STDIN: text     one line of standard input each
#   ; STDOUT: text    one expected line of stdout each (`; STDOUT:` alone:
#                     an empty line); likewise ; STDERR: (none: empty)
#   ; EXIT: N         expected exit status (default 0)
# The program runs from testsuite/run as `yvm-run NAME.yvm ARGS`, so its
# argv[0] is NAME.yvm. Each program counts once as text and once more in
# its binary form (yvm-as, then yvm-run NAME.yvmb), when yvm-as is built.

run_dir=$srcdir/testsuite/run
run_tmo=
command -v timeout > /dev/null 2>&1 && run_tmo="timeout 60"

# run_field FILE KEY: the text after "; KEY:" (and one space) on each line.
run_field() {
    sed -n "s/^[[:space:]]*; $2:[[:space:]]\{0,1\}//p" "$1"
}

# run_check NAME HOW STATUS: compare the outputs in $run_base.* with the
# expectations; one pass or fail.
run_check() {
    why=
    if [ "$3" -ne "$run_exit" ]; then
        why="exit status $3, want $run_exit"
    elif ! cmp -s "$run_base.want_out" "$run_base.out"; then
        why="stdout differs"
    elif ! cmp -s "$run_base.want_err" "$run_base.err"; then
        why="stderr differs"
    fi
    if [ -z "$why" ]; then
        pass "$1 ($2)"
        return
    fi
    fail "$1 ($2): $why" \
        "$(diff "$run_base.want_out" "$run_base.out" | head -n 8)" \
        "$(diff "$run_base.want_err" "$run_base.err" | head -n 8)"
}

if [ ! -x "$YVM_RUN" ]; then
    fail "yvm-run missing" "$YVM_RUN is not built"
else
    # Absolute, since each program runs from its own directory.
    run_yvm=$(cd "$(dirname "$YVM_RUN")" && pwd)/$(basename "$YVM_RUN")
    for prog in "$run_dir"/*.yvm; do
        [ -f "$prog" ] || continue
        name=$(basename "$prog" .yvm)
        run_base=$SUITE_TMP/$name
        run_field "$prog" STDOUT > "$run_base.want_out"
        run_field "$prog" STDERR > "$run_base.want_err"
        run_field "$prog" STDIN > "$run_base.in"
        run_exit=$(run_field "$prog" EXIT | tail -n 1)
        run_exit=${run_exit:-0}
        run_args=$(run_field "$prog" ARGS | tail -n 1)

        # shellcheck disable=SC2086 # ARGS is split into words on purpose
        (cd "$run_dir" && set -f && exec $run_tmo "$run_yvm" "$name.yvm" $run_args) \
            < "$run_base.in" > "$run_base.out" 2> "$run_base.err"
        run_check "$name" text $?

        [ -x "$YVM_AS" ] || continue
        mkdir -p "$run_base.d"
        if ! "$YVM_AS" "$prog" -o "$run_base.d/$name.yvmb" 2> "$run_base.as"; then
            fail "$name (binary): yvm-as failed" "$(head -n 4 "$run_base.as")"
            continue
        fi
        (cd "$run_base.d" && set -f && exec $run_tmo "$run_yvm" "$name.yvmb" $run_args) \
            < "$run_base.in" > "$run_base.out" 2> "$run_base.err"
        run_check "$name" binary $?
    done
fi
