#!/bin/sh
# gen-opt-funcs.sh N - print a module of N functions shaped like front-end
# output (locals in allocas, a counted loop, a branch, a small helper
# call), for measuring optimiser throughput (docs/performance.md):
#     sh gen-opt-funcs.sh 1000 > f.yvm && yvm-opt f.yvm -O2 --time -o /dev/null
n=${1:-1000}
awk -v n="$n" 'BEGIN {
    print "func @helper(i64 %x) -> i64 {"
    print "entry:"
    print "  %y = mul i64 %x, 3"
    print "  %z = add i64 %y, 1"
    print "  ret %z"
    print "}"
    for (i = 0; i < n; i++) {
        printf "func @f%d(i64 %%n) -> i64 {\n", i
        print "entry:"
        print "  %acc = alloca 8, align 8"
        print "  %i = alloca 8, align 8"
        print "  %k = alloca 8, align 8"
        printf "  store i64 %d, %%k\n", i
        print "  store i64 0, %acc"
        print "  store i64 0, %i"
        print "  br head"
        print "head:"
        print "  %iv = load i64, %i"
        print "  %c = icmp slt i64 %iv, %n"
        print "  condbr %c, body, done"
        print "body:"
        print "  %a = load i64, %acc"
        print "  %kv = load i64, %k"
        print "  %t = mul i64 %kv, 2"
        print "  %t2 = add i64 %t, 0"
        print "  %odd = and i64 %iv, 1"
        print "  %isodd = icmp ne i64 %odd, 0"
        print "  condbr %isodd, odd, even"
        print "odd:"
        print "  %h = call @helper(i64 %iv)"
        print "  %a2 = add i64 %a, %h"
        print "  br join(%a2)"
        print "even:"
        print "  %a3 = add i64 %a, %t2"
        print "  br join(%a3)"
        print "join(i64 %nv):"
        print "  store i64 %nv, %acc"
        print "  %i2 = add i64 %iv, 1"
        print "  store i64 %i2, %i"
        print "  br head"
        print "done:"
        print "  %r = load i64, %acc"
        print "  ret %r"
        print "}"
    }
    print "export func @main() -> i32 {"
    print "entry:"
    print "  %r = call @f0(i64 10)"
    print "  %w = trunc i64 %r to i32"
    print "  ret %w"
    print "}"
}'
