# 42-x86-encode.sh - the x86-64 encoder and printer against GNU binutils,
# and the ELF object writer against the system linker (docs/backend.md).
#
# x86-difftest gen instantiates every insns.def row over every GPR and xmm
# register, every addressing form (rsp/r12 bases that need a SIB, rbp/r13
# that need a displacement, index with each scale, no base, rip and
# rip+symbol, displacements 0/8-bit/32-bit), immediates at every size
# boundary and every condition code; our printer's text goes through `as`
# and the bytes and relocations must equal our encoder's. Then an object
# with data in every section, relocations, an undefined symbol and the
# runtime tables is linked with a C program and run (once from our ELF
# writer, once from our printer's text through `as`).

t=$SUITE_TMP
tool=$builddir/testsuite/unit/x86-difftest
cc_=${CC:-cc}

if ! command -v as >/dev/null 2>&1 || ! command -v objcopy >/dev/null 2>&1 ||
   ! command -v readelf >/dev/null 2>&1; then
    echo "42-x86-encode: skipped (GNU as/objcopy/readelf not found)"
    return 0 2>/dev/null || exit 0
fi

# ---- encoder vs as ----
if "$tool" gen "$t" > "$t/gen.out" 2> "$t/gen.err"; then
    pass "gen: every row used, bad forms refused"
else
    fail "gen" "$(cat "$t/gen.out" "$t/gen.err" | head -n 20)"
fi
if as "$t/t.s" -o "$t/ref.o" 2> "$t/as.err" && [ ! -s "$t/as.err" ]; then
    pass "as accepts the printed text"
    objcopy -O binary -j .text "$t/ref.o" "$t/ref.bin"
    if "$tool" compare "$t" > "$t/cmp.out" 2> "$t/cmp.err"; then
        pass "encoder bytes = as bytes ($(cat "$t/cmp.out"))"
    else
        fail "encoder bytes differ from as" "$(head -n 40 "$t/cmp.err")"
    fi
    for f in ref mine; do
        readelf -rW "$t/$f.o" | awk '/^[0-9a-f]+ /{print $1, $3, $5, $6, $7}' | sort > "$t/$f.rel"
    done
    if [ -s "$t/ref.rel" ] && cmp -s "$t/ref.rel" "$t/mine.rel"; then
        pass "relocations = as relocations ($(wc -l < "$t/ref.rel"))"
    else
        fail "relocations differ from as" "$(diff "$t/ref.rel" "$t/mine.rel" | head -n 20)"
    fi
else
    fail "as rejects the printed text" "$(head -n 20 "$t/as.err")"
fi

# ---- tools accept our object without complaint ----
check_clean() { # NAME FILE: readelf -a and objdump -dr print no warning,
                 # locals come before globals and .symtab's sh_info is
                 # the first global's index
    out=$( { readelf -a "$2" >/dev/null; } 2>&1; readelf -a "$2" 2>/dev/null | grep -i -E 'warning|error'; \
           { objdump -dr "$2" >/dev/null; } 2>&1; objdump -d "$2" 2>/dev/null | grep -F '(bad)' | head -n 3)
    first=$(readelf -sW "$2" | awk '$5 == "GLOBAL" { sub(":", "", $1); print $1; exit }')
    info=$(readelf -SW "$2" | awk '$2 == ".symtab" || $3 == ".symtab" { print $(NF-1) }')
    late=$(readelf -sW "$2" | awk '$5 == "GLOBAL" { g = 1 } g && $5 == "LOCAL" { print }')
    [ -n "$first" ] && [ "$first" != "$info" ] && out="$out
first global $first but .symtab sh_info $info"
    [ -n "$late" ] && out="$out
local after global: $late"
    if [ -z "$out" ]; then pass "$1"; else fail "$1" "$out"; fi
}
check_clean "readelf/objdump accept the encoder test object" "$t/mine.o"

# ---- the object layer alone ----
if "$tool" obj "$t" 2> "$t/obj.err"; then
    pass "obj: 5000 symbols found again"
else
    fail "obj" "$(head -n 10 "$t/obj.err")"
fi
check_clean "readelf/objdump accept 5000 symbols and NOP padding" "$t/many.o"
n=$(readelf -sW "$t/many.o" | grep -c ' sym[0-9]*$')
if [ "$n" = 5000 ]; then pass "5000 symbols written"; else fail "5000 symbols written" "got $n"; fi
n=$(readelf -rW "$t/rv.o" | grep -c 'R_RISCV_64 ')
[ "$n" = 8 ] && n=ok
if readelf -hW "$t/rv.o" | grep -q 'Machine: *RISC-V' && [ "$n" = ok ] &&
   [ -z "$(readelf -a "$t/rv.o" 2>&1 >/dev/null)" ]; then
    pass "RISC-V object with R_RISCV_64 relocations"
else
    fail "RISC-V object" "$(readelf -hrW "$t/rv.o" 2>&1 | head -n 30)"
fi

# ---- the ELF link test ----
if "$tool" elf "$t" > "$t/elf.out" 2> "$t/elf.err"; then
    pass "elf: object and asm written"
else
    fail "elf" "$(head -n 20 "$t/elf.err")"
fi
check_clean "readelf/objdump accept the linked-test object" "$t/yvm.o"
readelf -SW "$t/yvm.o" > "$t/sections"
for s in .text .rodata .data.rel.ro .data .bss yvm_objects yvm_funcs .rela.text \
         .relayvm_objects .symtab .strtab .shstrtab .note.GNU-stack; do
    if grep -q " $s " "$t/sections"; then pass "section $s"; else fail "section $s" "missing"; fi
done
if grep -q ' NOBITS ' "$t/sections" && readelf -sW "$t/yvm.o" | grep -q ' UND ext_add$'; then
    pass "bss is nobits, ext_add undefined"
else
    fail "bss is nobits, ext_add undefined" "$(cat "$t/sections")"
fi
src=$srcdir/testsuite/unit/x86_elf_main.c
for obj in yvm.o yvm.s; do
    o=$t/$obj
    if [ "$obj" = yvm.s ]; then
        if ! as "$t/yvm.s" -o "$t/yvms.o" 2> "$t/as2.err"; then
            fail "as $obj" "$(head -n 10 "$t/as2.err")"
            continue
        fi
        o=$t/yvms.o
    fi
    if "$cc_" -I"$srcdir/runtime" "$src" "$o" -o "$t/linked" 2> "$t/ld.err" && [ ! -s "$t/ld.err" ]; then
        out=$("$t/linked" 2>&1)
        if [ "$out" = ok ]; then pass "link and run ($obj)"; else fail "run ($obj)" "$out"; fi
    else
        fail "link ($obj)" "$(head -n 10 "$t/ld.err")"
    fi
done

# ---- yvm-cc: the object (-c) and the printed text (-S, then as) agree ----
# For programs of testsuite/run that yvm-cc compiles, link both ways
# and compare the disassembled code (padding NOPs and symbolic comments
# aside: they differ only in how gas and we fill alignment gaps).
ycc=$builddir/yvm-cc
rt=$builddir/libyvmrt.a
if [ -x "$ycc" ] && [ -f "$rt" ]; then
    same=0; differ=""; i=0
    for f in "$srcdir"/testsuite/run/*.yvm; do
        # Every sixth program (X86_CC_ALL=1: all of them): it is slow.
        i=$((i + 1))
        [ -z "${X86_CC_ALL:-}" ] && [ $((i % 6)) -ne 1 ] && continue
        b=$t/cc-$(basename "$f" .yvm)
        "$ycc" "$f" -c -o "$b.o" 2>/dev/null && "$ycc" "$f" -S -o "$b.s" 2>/dev/null || continue
        if ! as "$b.s" -o "$b.as.o" 2> "$b.aserr"; then
            differ="$differ $(basename "$f"): as: $(head -n 2 "$b.aserr" | tail -n 1)"
            continue
        fi
        "$cc_" "$b.o" "$rt" -lm -o "$b.e1" 2>/dev/null && "$cc_" "$b.as.o" "$rt" -lm -o "$b.e2" 2>/dev/null || continue
        for e in e1 e2; do
            objdump -d --no-show-raw-insn -j .text "$b.$e" |
                grep -v -E 'nop|xchg +%ax,%ax|file format' | sed -e 's/#.*//' -e 's/<[^>]*>//g' > "$b.$e.d"
        done
        if cmp -s "$b.e1.d" "$b.e2.d"; then
            same=$((same + 1))
        else
            differ="$differ $(basename "$f")"
        fi
        rm -f "$b.e1" "$b.e2" "$b.as.o"
    done
    if [ -z "$differ" ] && [ "$same" -gt 0 ]; then
        pass "yvm-cc -c = yvm-cc -S + as ($same programs)"
    else
        fail "yvm-cc -c and -S disagree" "$differ"
    fi
fi
