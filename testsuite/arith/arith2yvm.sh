#!/bin/sh
# arith2yvm.sh - turn one arithmetic assertion file (.arith) into a Yvm IR
# program that checks every assertion (grammar: docs/testing.md).
#
#   arith2yvm.sh FILE.arith > FILE.yvm
#
# Each assertion K gets a `noinline` function @tK that performs the one
# operation on its parameters (so nothing can be constant-folded) and a
# checker @cK that calls it with the operands, compares the result's bits
# with the expected bits and prints `FAIL FILE:LINE: got 0x..., want ...`
# on a mismatch.
#
# Run with no argument, the program checks every non-trapping assertion,
# prints `N assertions` and exits 0 (1 if any failed). Run with a case
# number K, it checks assertion K alone: a non-trapping one as above, a
# trapping one by performing the operation, which must stop the program
# with `trap: REASON` on stderr and exit status 134.
#
# The header comments of the program tell a harness what to expect:
#   ; CASES: N        assertions in all, numbered 1..N
#   ; CHECKS: N       of them non-trapping (the "N assertions" line)
#   ; CASE K LINE     one line per non-trapping assertion
#   ; TRAP K LINE REASON   one line per trapping assertion
#
# Malformed lines are reported as `FILE:LINE: error: message` on stderr
# and the exit status is 1.

if [ $# -ne 1 ]; then
    echo "usage: arith2yvm.sh FILE.arith > FILE.yvm" >&2
    exit 2
fi
if [ ! -r "$1" ]; then
    echo "arith2yvm.sh: cannot read '$1'" >&2
    exit 1
fi

exec awk -v path="$1" '
function err(msg) {
    printf "%s:%d: error: %s\n", path, NR, msg > "/dev/stderr"
    failed = 1
}

function is_int_type(t) { return t == "i1" || t == "i8" || t == "i16" || t == "i32" || t == "i64" }
function is_float_type(t) { return t == "f32" || t == "f64" }
function bits_of(t) { return BITS[t] }

# An integer literal, checked against the range of type t (signed or
# unsigned decimal, or 0x hex bits); returned as written.
function int_lit(s, t,    neg, d, max) {
    s = "" s
    if (s ~ /^0x[0-9a-fA-F]+$/) {
        d = substr(s, 3)
        sub(/^0+/, "", d)
        if (t == "i1" ? (d != "" && d != "1") : length(d) > BITS[t] / 4) {
            err("'\''" s "'\'' is out of range for " t)
            return ""
        }
        return s
    }
    if (s !~ /^-?[0-9]+$/) {
        err("bad integer '\''" s "'\''")
        return ""
    }
    neg = substr(s, 1, 1) == "-"
    d = neg ? substr(s, 2) : s
    sub(/^0+/, "", d)
    max = neg ? SMIN[t] : UMAX[t]
    if (length(d) > length(max) || (length(d) == length(max) && d > max)) {
        err("'\''" s "'\'' is out of range for " t)
        return ""
    }
    return s
}

# A float literal for type t, as the IR constant to write: nan, -nan, inf
# and -inf become their exact bits (nan is the canonical quiet NaN), a
# decimal without a point or exponent gets ".0", 0x bits stay as written.
function float_lit(s, t,    w) {
    s = "" s
    w = t == "f32" ? 1 : 2
    if (s == "nan") return w == 1 ? "0x7fc00000" : "0x7ff8000000000000"
    if (s == "-nan") return w == 1 ? "0xffc00000" : "0xfff8000000000000"
    if (s == "inf") return w == 1 ? "0x7f800000" : "0x7ff0000000000000"
    if (s == "-inf") return w == 1 ? "0xff800000" : "0xfff0000000000000"
    if (s ~ /^0x[0-9a-fA-F]+$/) {
        if (length(s) - 2 > (w == 1 ? 8 : 16)) {
            err("'\''" s "'\'' has too many bits for " t)
            return ""
        }
        return s
    }
    if (s !~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/) {
        err("bad float '\''" s "'\''")
        return ""
    }
    if (s !~ /[.eE]/) s = s ".0"
    return s
}

function lit(s, t) { return is_int_type(t) ? int_lit(s, t) : float_lit(s, t) }

function conv_ok(op, a, b) {
    if (op == "zext" || op == "sext") return is_int_type(a) && is_int_type(b) && BITS[a] < BITS[b]
    if (op == "trunc") return is_int_type(a) && is_int_type(b) && BITS[a] > BITS[b]
    if (op == "sitofp" || op == "uitofp") return is_int_type(a) && is_float_type(b)
    if (op == "fptosi" || op == "fptoui") return is_float_type(a) && is_int_type(b)
    if (op == "fpext") return a == "f32" && b == "f64"
    if (op == "fptrunc") return a == "f64" && b == "f32"
    if (op == "bitcast") return a != b && BITS[a] == BITS[b] && BITS[a] >= 32
    return 0
}

# The data item holding a string, one per distinct text.
function str_item(s) {
    if (!(s in STR)) {
        nstr++
        STR[s] = "@s" nstr
        STRS[nstr] = s
    }
    return STR[s]
}

BEGIN {
    BITS["i1"] = 1; BITS["i8"] = 8; BITS["i16"] = 16; BITS["i32"] = 32
    BITS["i64"] = 64; BITS["f32"] = 32; BITS["f64"] = 64
    UMAX["i1"] = "1"; UMAX["i8"] = "255"; UMAX["i16"] = "65535"
    UMAX["i32"] = "4294967295"; UMAX["i64"] = "18446744073709551615"
    SMIN["i1"] = "1"; SMIN["i8"] = "128"; SMIN["i16"] = "32768"
    SMIN["i32"] = "2147483648"; SMIN["i64"] = "9223372036854775808"
    split("add sub mul sdiv udiv srem urem and or xor shl lshr ashr addc subc mulc addcu subcu mulcu", a, " ")
    for (i in a) IBIN[a[i]] = 1
    split("fadd fsub fmul fdiv", a, " ")
    for (i in a) FBIN[a[i]] = 1
    split("fneg fsqrt", a, " ")
    for (i in a) FUN[a[i]] = 1
    split("eq ne slt sle sgt sge ult ule ugt uge", a, " ")
    for (i in a) ICOND[a[i]] = 1
    split("oeq one olt ole ogt oge ord uno ueq une ult ule ugt uge", a, " ")
    for (i in a) FCOND[a[i]] = 1
    split("zext sext trunc sitofp uitofp fptosi fptoui fpext fptrunc bitcast", a, " ")
    for (i in a) CONV[a[i]] = 1
    name = path
    sub(/.*\//, "", name)
    ncase = 0; ncheck = 0; nstr = 0; failed = 0
}

{
    line = $0
    sub(/\r$/, "", line)
    sub(/#.*/, "", line)
    n = split(line, tok, " ")
    if (n == 0) next
    arrow = 0
    for (i = n; i >= 1; i--) if (tok[i] == "->") { arrow = i; break }
    if (arrow == 0 || arrow == n) { err("expected '\''-> RESULT'\''"); next }
    op = tok[1]
    # The outcome.
    trap = ""
    if (tok[arrow + 1] == "trap") {
        if (arrow + 2 > n) { err("a trap needs its reason"); next }
        trap = tok[arrow + 2]
        for (i = arrow + 3; i <= n; i++) trap = trap " " tok[i]
    } else if (arrow + 1 != n) {
        err("one result expected after '\''->'\''"); next
    }
    # The operation: parameter types, operands, result type, IR text.
    np = 0; body = ""; e0 = failed
    if (op in IBIN || op in FBIN) {
        t = tok[2]
        if (arrow != 5) { err(op " takes a type and two operands"); next }
        if (op in IBIN ? !is_int_type(t) : !is_float_type(t)) { err("bad type '\''" t "'\'' for " op); next }
        pt[1] = t; pv[1] = lit(tok[3], t); pt[2] = t; pv[2] = lit(tok[4], t); np = 2
        rt = t; body = "%r = " op " " t " %a1, %a2"
    } else if (op in FUN) {
        t = tok[2]
        if (arrow != 4) { err(op " takes a type and one operand"); next }
        if (!is_float_type(t)) { err("bad type '\''" t "'\'' for " op); next }
        pt[1] = t; pv[1] = lit(tok[3], t); np = 1
        rt = t; body = "%r = " op " " t " %a1"
    } else if (op == "icmp" || op == "fcmp") {
        c = tok[2]; t = tok[3]
        if (arrow != 6) { err(op " takes a predicate, a type and two operands"); next }
        if (op == "icmp" ? !(c in ICOND) : !(c in FCOND)) { err("bad predicate '\''" c "'\''"); next }
        if (op == "icmp" ? !is_int_type(t) : !is_float_type(t)) { err("bad type '\''" t "'\'' for " op); next }
        pt[1] = t; pv[1] = lit(tok[4], t); pt[2] = t; pv[2] = lit(tok[5], t); np = 2
        rt = "i1"; body = "%r = " op " " c " " t " %a1, %a2"
    } else if (op == "select") {
        t = tok[2]
        if (arrow != 6) { err("select takes a type, a condition and two operands"); next }
        if (!(t in BITS)) { err("bad type '\''" t "'\''"); next }
        pt[1] = "i1"; pv[1] = int_lit(tok[3], "i1")
        pt[2] = t; pv[2] = lit(tok[4], t); pt[3] = t; pv[3] = lit(tok[5], t); np = 3
        rt = t; body = "%r = select " t " %a1, %a2, %a3"
    } else if (op in CONV) {
        t = tok[2]; rt = tok[4]
        if (arrow != 6 || tok[3] != "->") { err(op " is written '\''" op " T1 -> T2 VALUE -> RESULT'\''"); next }
        if (!(t in BITS) || !(rt in BITS) || !conv_ok(op, t, rt)) { err("bad types for " op ": " t " -> " rt); next }
        pt[1] = t; pv[1] = lit(tok[5], t); np = 1
        body = "%r = " op " " t " %a1 to " rt
    } else {
        err("unknown operation '\''" op "'\''"); next
    }
    if (trap == "") want = lit(tok[n], rt)
    if (failed != e0) next

    ncase++
    k = ncase
    params = ""; args = ""
    for (i = 1; i <= np; i++) {
        params = params (i > 1 ? ", " : "") pt[i] " %a" i
        args = args (i > 1 ? ", " : "") pt[i] " " pv[i]
    }
    F[k] = "func @t" k "(" params ") -> " rt " noinline {\nentry:\n  " body "\n  ret %r\n}\n"
    if (trap == "") {
        ncheck++
        CHECKED[ncheck] = k
        HDR = HDR "; CASE " k " " NR "\n"
        C[k] = "func @c" k "() -> i32 {\nentry:\n  %r = call @t" k "(" args ")\n" \
               "  %ok = call @eq_" rt "(" rt " %r, " rt " " want ")\n" \
               "  condbr %ok, pass, bad\npass:\n  ret 0\nbad:\n" \
               "  %g = call @bits_" rt "(" rt " %r)\n" \
               "  %p = call @printf(ptr @fail, ptr @file, i32 " NR ", i64 %g, ptr " str_item(tok[n]) ")\n" \
               "  ret 1\n}\n"
    } else {
        HDR = HDR "; TRAP " k " " NR " " trap "\n"
        C[k] = "func @c" k "() -> i32 {\nentry:\n  %r = call @t" k "(" args ")\n" \
               "  %g = call @bits_" rt "(" rt " %r)\n" \
               "  %p = call @printf(ptr @notrap, ptr @file, i32 " NR ", i64 %g, ptr " str_item("trap " trap) ")\n" \
               "  ret 1\n}\n"
    }
}

END {
    if (failed) exit 1
    printf "; generated by arith2yvm.sh from %s: do not edit\n", name
    printf "; CASES: %d\n; CHECKS: %d\n%s", ncase, ncheck, HDR
    mod = name
    sub(/\.arith$/, "", mod)
    printf "module \"%s\"\n\n", mod
    print "extern func @printf(ptr, ...) -> i32\n"
    printf "data @file = \"%s\\0\"\n", name
    print "data @fail = \"FAIL %s:%d: got 0x%llx, want %s\\n\\0\""
    print "data @notrap = \"FAIL %s:%d: no trap, got 0x%llx, want %s\\n\\0\""
    print "data @summary = \"%d assertions\\n\\0\""
    print "data @nocase = \"no case %d\\n\\0\""
    for (i = 1; i <= nstr; i++) printf "data @s%d = \"%s\\0\"\n", i, STRS[i]
    print ""
    # Bit-exact equality and the bits of a result as an i64, per type.
    split("i1 i8 i16 i32", a, " ")
    for (i = 1; i <= 4; i++) {
        t = a[i]
        printf "func @eq_%s(%s %%x, %s %%y) -> i1 {\nentry:\n  %%r = icmp eq %s %%x, %%y\n  ret %%r\n}\n", t, t, t, t
        printf "func @bits_%s(%s %%x) -> i64 {\nentry:\n  %%r = zext %s %%x to i64\n  ret %%r\n}\n", t, t, t
    }
    print "func @eq_i64(i64 %x, i64 %y) -> i1 {\nentry:\n  %r = icmp eq i64 %x, %y\n  ret %r\n}"
    print "func @bits_i64(i64 %x) -> i64 {\nentry:\n  ret %x\n}"
    print "func @eq_f32(f32 %x, f32 %y) -> i1 {\nentry:\n  %a = bitcast f32 %x to i32\n  %b = bitcast f32 %y to i32\n  %r = icmp eq i32 %a, %b\n  ret %r\n}"
    print "func @bits_f32(f32 %x) -> i64 {\nentry:\n  %a = bitcast f32 %x to i32\n  %r = zext i32 %a to i64\n  ret %r\n}"
    print "func @eq_f64(f64 %x, f64 %y) -> i1 {\nentry:\n  %a = bitcast f64 %x to i64\n  %b = bitcast f64 %y to i64\n  %r = icmp eq i64 %a, %b\n  ret %r\n}"
    print "func @bits_f64(f64 %x) -> i64 {\nentry:\n  %r = bitcast f64 %x to i64\n  ret %r\n}\n"
    for (k = 1; k <= ncase; k++) printf "%s%s\n", F[k], C[k]

    print "export func @main(i32 %argc, ptr %argv) -> i32 {\nentry:"
    print "  %single = icmp sgt i32 %argc, 1\n  condbr %single, one, all\nall:"
    prev = ""
    for (i = 1; i <= ncheck; i++) {
        k = CHECKED[i]
        printf "  %%f%d = call @c%d()\n", k, k
        if (prev == "") printf "  %%s%d = add i32 %%f%d, 0\n", k, k
        else printf "  %%s%d = add i32 %s, %%f%d\n", k, prev, k
        prev = "%s" k
    }
    printf "  %%sum = call @printf(ptr @summary, i32 %d)\n", ncheck
    if (prev == "") print "  ret 0"
    else printf "  %%bad = icmp ne i32 %s, 0\n  %%rc = zext i1 %%bad to i32\n  ret %%rc\n", prev
    # One case: argv[1] is its number in decimal.
    print "one:\n  %ap = ptradd %argv, 8\n  %arg = load ptr, %ap\n  br digit(%arg, 0)"
    print "digit(ptr %q, i32 %n):\n  %ch = load i8, %q\n  %cw = zext i8 %ch to i32"
    print "  %dv = sub i32 %cw, 48\n  %isd = icmp ult i32 %dv, 10\n  condbr %isd, more, pick(%n)"
    print "more:\n  %n10 = mul i32 %n, 10\n  %n2 = add i32 %n10, %dv\n  %q2 = ptradd %q, 1\n  br digit(%q2, %n2)"
    printf "pick(i32 %%k):\n  switch i32 %%k, nocase ["
    for (k = 1; k <= ncase; k++) printf "%s%d: k%d", (k > 1 ? ", " : ""), k, k
    print "]"
    for (k = 1; k <= ncase; k++) printf "k%d:\n  %%x%d = call @c%d()\n  ret %%x%d\n", k, k, k, k
    print "nocase:\n  %pn = call @printf(ptr @nocase, i32 %k)\n  ret 2\n}"
}
' "$1"
