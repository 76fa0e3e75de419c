# engines.sh - run one Yvm program in one engine; sourced by the suites
# that compare engines (41-native, 44-interop, 46-diff, 47-opt) after
# lib.sh. Engines:
#   interp          yvm-run PROG
#   yvmb            yvm-as PROG, then yvm-run on the binary form
#   cc-O0 cc-O1     yvm-cc -O0/-O1 PROG -o EXE, then EXE
#   opt-O1 opt-O2   yvm-opt -O1/-O2 PROG -o OUT.yvm, yvm-verify OUT.yvm,
#                   then yvm-run OUT.yvm
# Every engine runs the program from a work directory under the name
# NAME.yvm (a native executable is given that name and found through
# PATH), so argv[0] is "NAME.yvm" everywhere, as in 40-run.

YVM_CC=${YVM_CC:-$builddir/yvm-cc}
YVM_OPT=${YVM_OPT:-$builddir/yvm-opt}
# Running a program: ENGINE_TIMEOUT seconds; building it (a busy machine
# can be slow): ENGINE_BUILD_TIMEOUT seconds.
eng_tmo=
eng_build_tmo=
if command -v timeout > /dev/null 2>&1; then
    eng_tmo="timeout ${ENGINE_TIMEOUT:-60}"
    eng_build_tmo="timeout ${ENGINE_BUILD_TIMEOUT:-300}"
fi

# eng_abs FILE: FILE's absolute name.
eng_abs() {
    (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
}

# engine_tool ENGINE: the tool ENGINE needs besides yvm-run ("" if none).
engine_tool() {
    case $1 in
    cc-*) echo "$YVM_CC" ;;
    opt-*) echo "$YVM_OPT" ;;
    yvmb) echo "$YVM_AS" ;;
    *) echo "" ;;
    esac
}

# engine_prepare ENGINE PROG DIR NAME: makes DIR/NAME.yvm, what ENGINE
# runs (a copy, a binary module, an executable or an optimised module).
# Returns 1 when that fails, with the tools' messages in DIR/NAME.build.
engine_prepare() {
    mkdir -p "$3"
    rm -f "$3/$4.yvm"
    case $1 in
    interp)
        cp "$2" "$3/$4.yvm" 2> "$3/$4.build" ;;
    yvmb)
        "$YVM_AS" "$2" -o "$3/$4.yvm" > "$3/$4.build" 2>&1 ;;
    cc-O*)
        # shellcheck disable=SC2086 # YVM_CC_FLAGS is split on purpose
        $eng_build_tmo "$YVM_CC" ${YVM_CC_FLAGS:-} "-${1#cc-}" "$2" -o "$3/$4.yvm" > "$3/$4.build" 2>&1 ;;
    opt-O*)
        $eng_build_tmo "$YVM_OPT" "$2" "-${1#opt-}" -o "$3/$4.yvm" > "$3/$4.build" 2>&1 &&
            "$YVM_VERIFY" "$3/$4.yvm" >> "$3/$4.build" 2>&1 ;;
    *)
        echo "unknown engine $1" > "$3/$4.build"
        return 1 ;;
    esac
}

# engine_exec ENGINE DIR NAME ARGS...: runs what engine_prepare made, from
# DIR, with the caller's stdin, stdout and stderr; returns its status.
engine_exec() {
    eng=$1
    eng_dir=$(cd "$2" && pwd)
    eng_name=$3
    shift 3
    case $eng in
    cc-*)
        (cd "$eng_dir" && set -f && PATH=$eng_dir:$PATH exec $eng_tmo "$eng_name.yvm" "$@") ;;
    *)
        (cd "$eng_dir" && set -f && exec $eng_tmo "$eng_run_abs" "$eng_name.yvm" "$@") ;;
    esac
}

eng_run_abs=
[ -x "$YVM_RUN" ] && eng_run_abs=$(eng_abs "$YVM_RUN")

# The program corpus's directives (docs/testing.md), as 40-run reads them.
# corpus_expect PROG BASE: BASE.want_out, BASE.want_err, BASE.in; sets
# corpus_exit and corpus_args.
corpus_expect() {
    sed -n 's/^[[:space:]]*; STDOUT:[[:space:]]\{0,1\}//p' "$1" > "$2.want_out"
    sed -n 's/^[[:space:]]*; STDERR:[[:space:]]\{0,1\}//p' "$1" > "$2.want_err"
    sed -n 's/^[[:space:]]*; STDIN:[[:space:]]\{0,1\}//p' "$1" > "$2.in"
    corpus_exit=$(sed -n 's/^[[:space:]]*; EXIT:[[:space:]]\{0,1\}//p' "$1" | tail -n 1)
    corpus_exit=${corpus_exit:-0}
    corpus_args=$(sed -n 's/^[[:space:]]*; ARGS:[[:space:]]\{0,1\}//p' "$1" | tail -n 1)
}

# corpus_check CASE STATUS BASE: BASE.out/BASE.err against the
# expectations; one pass or fail.
corpus_check() {
    why=
    if [ "$2" -ne "$corpus_exit" ]; then
        why="exit status $2, want $corpus_exit"
    elif ! cmp -s "$3.want_out" "$3.out"; then
        why="stdout differs"
    elif ! cmp -s "$3.want_err" "$3.err"; then
        why="stderr differs"
    fi
    if [ -z "$why" ]; then
        pass "$1"
        return 0
    fi
    fail "$1: $why" \
        "$(diff "$3.want_out" "$3.out" | head -n 8)" \
        "$(diff "$3.want_err" "$3.err" | head -n 8)"
    return 1
}

# corpus_run_engines ENGINE...: every testsuite/run program through each
# engine, checked against its directives (41-native, 47-opt).
corpus_run_engines() {
    for prog in "$srcdir"/testsuite/run/*.yvm; do
        [ -f "$prog" ] || continue
        name=$(basename "$prog" .yvm)
        base=$SUITE_TMP/$name
        corpus_expect "$prog" "$base"
        # `; NATIVE: skip WHY` names a documented limit of compiled code
        # (docs/backend.md): such a program is skipped by native engines.
        native_skip=$(sed -n 's/^[[:space:]]*; NATIVE: skip[[:space:]]*//p' "$prog" | head -n 1)
        for e in "$@"; do
            case $e in
            cc-*)
                if [ -n "$native_skip" ]; then
                    skip "$name ($e)" "$native_skip"
                    continue
                fi ;;
            esac
            if ! engine_prepare "$e" "$prog" "$base.$e" "$name"; then
                fail "$name ($e): building failed" "$(head -n 6 "$base.$e/$name.build")"
                continue
            fi
            # shellcheck disable=SC2086 # ARGS is split into words on purpose
            engine_exec "$e" "$base.$e" "$name" $corpus_args \
                < "$base.in" > "$base.out" 2> "$base.err"
            corpus_check "$name ($e)" $? "$base" && rm -rf "$base.$e"
        done
    done
}
