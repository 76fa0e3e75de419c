# 43-runtime.sh - the native runtime (libyvmrt.a, runtime/yvmrt.h): C
# programs in testsuite/runtime/ play compiled code (they declare
# __yvm_main, lay out objects in yvm_objects/yvm_funcs tables and call the
# checks); each mode must print exactly what is expected and exit with the
# expected status: 134 and `trap: <reason>` (brief's trap list) on a trap.

t=$SUITE_TMP
rt=$builddir/libyvmrt.a
cc=${CC:-cc}

# ---- the archive itself ----
if [ ! -f "$rt" ]; then
    fail archive "$rt is missing"
    return 0
fi
if nm "$rt" 2>/dev/null | grep -q '__asan\|__ubsan'; then
    fail no-sanitizers "libyvmrt.a is built with sanitizers"
else
    pass no-sanitizers
fi
# main is a member of its own, so C programs keep theirs
mainobj=$(nm -A "$rt" 2>/dev/null | grep ' T main$' | awk -F: '{print $(NF-1)}' | head -n 1)
if [ -n "$mainobj" ] && [ "$(nm -A "$rt" | grep ":$mainobj:" | grep -c ' [TDBR] ')" -eq 1 ]; then
    pass main-member
else
    fail main-member "main is not alone in its archive member" "$(nm -A "$rt" | grep ' T ')"
fi

# ---- the test programs ----
built=yes
for p in objects heap stack cmain; do
    if ! $cc -std=c17 -O1 -fPIE -pie -I"$srcdir/runtime" "$srcdir/testsuite/runtime/$p.c" \
        "$rt" -o "$t/$p" > "$t/$p.cc.log" 2>&1; then
        fail "build-$p" "cc failed" "$(head -n 10 "$t/$p.cc.log")"
        built=no
    fi
done
[ $built = yes ] || return 0

# run NAME STATUS STDOUT STDERR PROG ARGS...: STDOUT and STDERR are the
# exact expected outputs (printf %b: \n for newlines).
run() {
    name=$1 want_status=$2 want_out=$3 want_err=$4
    shift 4
    "$@" > "$t/$name.out" 2> "$t/$name.err"
    status=$?
    printf '%b' "$want_out" > "$t/$name.want-out"
    printf '%b' "$want_err" > "$t/$name.want-err"
    if [ $status -eq "$want_status" ] && cmp -s "$t/$name.want-out" "$t/$name.out" &&
        cmp -s "$t/$name.want-err" "$t/$name.err"; then
        pass "$name"
    else
        fail "$name" "exit status $status (want $want_status)" \
            "$(diff "$t/$name.want-out" "$t/$name.out")" "$(diff "$t/$name.want-err" "$t/$name.err")"
    fi
}

bounds='trap: out of bounds access\n'
readonly_='trap: write to read-only data\n'
badfree='trap: invalid free\n'
badcall='trap: invalid indirect call\n'

# objects: in-bounds accesses pass, every kind of miss traps
O=$t/objects
run obj-in-bounds 0 'ok\n' '' "$O" in-bounds
for m in read-past-end write-past-end read-straddle read-before read-redzone \
    read-ro-past-end write-ro-past-end read-zero-object read-null read-wrap \
    read-before-first range-read-past-end argv-past-end argv-string-past-end \
    memcpy-src-past-end memcpy-dst-past-end memset-past-end read-foreign \
    write-foreign read-into-foreign memcpy-from-foreign memset-foreign \
    unsafe-read-past-end unsafe-memcpy-redzone; do
    run "obj-$m" 134 '' "$bounds" "$O" $m
done
for m in write-ro write-ro-last memcpy-to-ro memset-ro range-write-ro; do
    run "obj-$m" 134 '' "$readonly_" "$O" $m
done
for m in call-wrong-sig call-not-start call-null call-data; do
    run "obj-$m" 134 '' "$badcall" "$O" $m
done

# traps: every reason's exact text; stdout (buffered: a pipe) comes out first
run trap-flush 134 'line one\npartial line' "on stderr\n$bounds" "$O" flush
k=1
for reason in "division by zero" "integer overflow" "invalid conversion" \
    "out of bounds access" "write to read-only data" "stack overflow" \
    "invalid indirect call" "invalid free"; do
    run "trap-$k" 134 "before trap $k\n" "trap: $reason\n" "$O" trap $k
    k=$((k + 1))
done
run trap-msg 134 '' 'trap: a custom reason\n' "$O" trap-msg "a custom reason"

# start-up: argv (argc + 1 entries, the last NULL) and the exit status
run args 3 "5\n[$O]\n[args]\n[3]\n[b c]\n[]\n[(null)]\n" '' "$O" args 3 "b c" ""
run argv-objects 0 'ok\n' '' "$O" argv-ok "" "two words" x
run argv-free 134 '' "$badfree" "$O" argv-free
run args-status-mod-256 44 "3\n[$O]\n[args]\n[300]\n[(null)]\n" '' "$O" args 300

# heap
H=$t/heap
run heap-basic 0 'ok\n' '' "$H" basic
for m in read-past-end write-straddle read-before read-malloc0 use-after-free \
    use-after-free-later memset-after-free old-after-realloc memcpy-past-end; do
    run "heap-$m" 134 '' "$bounds" "$H" $m
done
for m in double-free interior-free free-global free-stack realloc-interior realloc-freed; do
    run "heap-$m" 134 '' "$badfree" "$H" $m
done

# stack objects, dead frames, the big stack
S=$t/stack
run stack-ok 0 'ok\n' '' "$S" ok
for m in dead-frame dead-frame-memcpy past-end red-zone across zero-size \
    stale-safe fake-dangling fake-dangling-large fake-dangling-unsafe fake-past-end; do
    run "stack-$m" 134 '' "$bounds" "$S" $m
done
# the fake stack's pools are finite: running out is a stack overflow
run stack-fake-overflow 134 'deep\n' 'trap: stack overflow\n' env YVMRT_STACK_SIZE=16M "$S" fake-overflow
# (a small stack keeps the test quick; the default 1 GiB one takes seconds)
run stack-overflow 134 'deep\n' 'trap: stack overflow\n' env YVMRT_STACK_SIZE=16M "$S" overflow
# 100000 frames do not fit in 1 MiB
run stack-size-env 134 '' 'trap: stack overflow\n' env YVMRT_STACK_SIZE=1M "$S" ok

# compiled objects in a C program with its own main
C=$t/cmain
run cmain-ok 7 'c main\n' '' "$C" ok
run cmain-past-end 134 '' "$bounds" "$C" past-end
run cmain-overflow 134 'deep\n' 'trap: stack overflow\n' "$C" overflow
