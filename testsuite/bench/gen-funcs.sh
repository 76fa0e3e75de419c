#!/bin/sh
# gen-funcs.sh N yvm|c - a module of N small functions, each a counted
# loop with a little arithmetic and a call to the previous function, as
# Yvm IR or as the equivalent C (run-bench.sh times compilers on it).
n=${1:-3000}
lang=${2:-yvm}
awk -v n="$n" -v lang="$lang" 'BEGIN {
    if (lang == "c")
        print "#include <stdint.h>\nint64_t f0(int64_t x) { return x; }"
    else
        print "func @f0(i64 %x) -> i64 {\nentry:\n  ret %x\n}"
    for (k = 1; k < n; k++) {
        if (lang == "c") {
            printf "int64_t f%d(int64_t n)\n{\n    int64_t acc = %d;\n", k, k
            printf "    for (int64_t i = 0; i < n; i++) {\n"
            printf "        acc = (acc * 3 + (i ^ %d)) & 65535;\n        if (acc > 40000)\n            acc -= n;\n    }\n", k
            printf "    return acc + f%d(n - 1);\n}\n", k - 1
        } else {
            printf "func @f%d(i64 %%n) -> i64 {\nentry:\n  br loop(0, %d)\n", k, k
            printf "loop(i64 %%i, i64 %%acc):\n  %%more = icmp slt i64 %%i, %%n\n"
            printf "  condbr %%more, body, done(%%acc)\nbody:\n"
            printf "  %%m = mul i64 %%acc, 3\n  %%x = xor i64 %%i, %d\n  %%a0 = add i64 %%m, %%x\n", k
            printf "  %%a = and i64 %%a0, 65535\n"
            printf "  %%big = icmp sgt i64 %%a, 40000\n  %%s = sub i64 %%a, %%n\n"
            printf "  %%a2 = select i64 %%big, %%s, %%a\n  %%i2 = add i64 %%i, 1\n  br loop(%%i2, %%a2)\n"
            printf "done(i64 %%r):\n  %%n1 = sub i64 %%n, 1\n  %%p = call @f%d(i64 %%n1)\n", k - 1
            printf "  %%t = add i64 %%r, %%p\n  ret %%t\n}\n"
        }
    }
    if (lang == "c")
        printf "int main(void) { return (int)(f%d(3) & 1); }\n", n - 1
    else
        printf "export func @main() -> i32 {\nentry:\n  %%r = call @f%d(i64 3)\n  %%t = trunc i64 %%r to i32\n  %%b = and i32 %%t, 1\n  ret %%b\n}\n", n - 1
}'
