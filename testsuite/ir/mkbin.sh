#!/bin/sh
# mkbin.sh - make the hand-encoded binary test files from the byte-by-byte
# layout in docs/ir.md ("Binary form"), so that they test the format as
# documented rather than whatever the writer happens to produce:
#
#   binary/main.yvmb          a valid module; binary/main.yvm is its text
#   invalid/bin-*.yvmb        damaged modules, each with NAME.yvmb.expect
#                             holding the exact first line of stderr
#
# The files are committed; run this script again only to change them:
#     sh testsuite/ir/mkbin.sh
# Numbers are hex bytes. The base module (44 bytes) is
#
#   offset  bytes                     meaning
#    0      7f 59 56 4d               magic "\x7fYVM"
#    4      01                        version 1
#    5      01 0e                     section 1 (strings), 14 bytes
#    7      03                        3 strings
#    8      01 6d                     0: "m"
#   10      04 6d 61 69 6e            1: "main"
#   15      05 65 6e 74 72 79         2: "entry"
#   21      02 15                     section 2 (items), 21 bytes
#   23      01                        module name: string 0 ("m")
#   24      01                        1 item
#   25      00 01                     func, name string 1 ("main")
#   27      04 01 00 00               returns i32, attrs export, no target, 0 params
#   31      00                        0 values
#   32      01                        1 block
#   33      03 00 01                  name string 2 ("entry"), 0 params, 1 instruction
#   36      33 04 00                  ret (opcode 51), type i32, no result
#   39      01 02 04 00               1 operand: constant, i32, 0
#   43      00                        0 targets
#
# which is the text in binary/main.yvm.
# The byte lists are split into words on purpose.
# shellcheck disable=SC2086
set -e
dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/binary" "$dir/invalid"

# bytes HEX...: write each two-digit hex number as one byte (POSIX printf
# has octal escapes only).
bytes() {
    for h in "$@"; do
        # shellcheck disable=SC2059
        printf "\\$(printf '%03o' "0x$h")"
    done
}

HEAD="7f 59 56 4d 01"
STRINGS="01 0e 03 01 6d 04 6d 61 69 6e 05 65 6e 74 72 79"
ITEMS_HEAD="02 15"
# The items payload in pieces, so that cases can replace one of them.
MOD="01 01"                  # module name, item count
FUNC="00 01 04 01 00 00"     # kind, name, ret, attrs, target, nparams
BODY="00 01 03 00 01"        # nvals, nblocks, block name, nparams, ninsts
RET="33 04 00 01 02 04 00 00" # ret i32 0, no targets

bytes $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET > "$dir/binary/main.yvmb"
cat > "$dir/binary/main.yvm" <<'TEXT'
module "m"

export func @main() -> i32 {
entry:
  ret 0
}
TEXT

# case NAME "EXPECTED MESSAGE" HEX...: one invalid file and its .expect.
case_() {
    name=$1
    msg=$2
    shift 2
    bytes "$@" > "$dir/invalid/$name.yvmb"
    printf '%s\n' "$name.yvmb:$msg" > "$dir/invalid/$name.yvmb.expect"
}

case_ bin-only-del "byte 1: error: unexpected end of file" \
    7f
case_ bin-bad-magic "byte 3: error: bad magic (not a yvm binary module)" \
    7f 59 56 58 01 $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET
case_ bin-bad-version "byte 4: error: unsupported version 4 (this reader reads 1 to 3)" \
    7f 59 56 4d 04 $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET
case_ bin-no-sections "byte 5: error: missing section 1 (strings)" \
    $HEAD
case_ bin-section-order "byte 5: error: expected section 1 (strings), found section id 2" \
    $HEAD $ITEMS_HEAD $MOD $FUNC $BODY $RET $STRINGS
# Cut inside the strings section (12 bytes in all): its length runs past the end.
case_ bin-cut-in-strings "byte 6: error: section 1 (strings) length 14 exceeds the 5 bytes left" \
    $HEAD 01 0e 03 01 6d 04 6d
case_ bin-missing-items "byte 21: error: missing section 2 (items)" \
    $HEAD $STRINGS
# Cut inside the items section (40 bytes in all).
case_ bin-cut-in-items "byte 22: error: section 2 (items) length 21 exceeds the 17 bytes left" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY 33 04 00 01
# The items section claims 20 bytes: it ends before the target count.
case_ bin-short-section "byte 43: error: unexpected end of section 2 (items)" \
    $HEAD $STRINGS 02 14 $MOD $FUNC $BODY $RET
# A strings section with one byte more than its strings use.
case_ bin-unused-bytes "byte 21: error: unused bytes at the end of section 1 (strings)" \
    $HEAD 01 0f 03 01 6d 04 6d 61 69 6e 05 65 6e 74 72 79 00 $ITEMS_HEAD $MOD $FUNC $BODY $RET
case_ bin-trailing "byte 44: error: trailing bytes after the last section" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET 00
# The item count 1 spelled in two bytes (81 00); the section grows by one.
case_ bin-overlong-leb "byte 25: error: overlong LEB128 integer" \
    $HEAD $STRINGS 02 16 01 81 00 $FUNC $BODY $RET
# The items section length in ten bytes whose last has more than bit 63.
case_ bin-leb-too-large "byte 31: error: LEB128 integer too large" \
    $HEAD $STRINGS 02 ff ff ff ff ff ff ff ff ff 7f $MOD $FUNC $BODY $RET
# An item count of 2^32 - 1 (ff ff ff ff 0f) in a 25-byte section.
case_ bin-huge-count "byte 24: error: item count 4294967295 is too large for the 19 bytes left" \
    $HEAD $STRINGS 02 19 01 ff ff ff ff 0f $FUNC $BODY $RET
case_ bin-string-index "byte 26: error: string index 5 out of range (the table has 3)" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD 00 05 04 01 00 00 $BODY $RET
# "main" spelled "ma n": not a name the text form could write.
case_ bin-bad-name "byte 26: error: bad name 'ma n'" \
    $HEAD 01 0e 03 01 6d 04 6d 61 20 6e 05 65 6e 74 72 79 $ITEMS_HEAD $MOD $FUNC $BODY $RET
case_ bin-bad-type "byte 27: error: unknown type code 9" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD 00 01 09 01 00 00 $BODY $RET
case_ bin-bad-attrs "byte 28: error: unknown function attribute bits 0x40" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD 00 01 04 41 00 00 $BODY $RET
case_ bin-bad-item-kind "byte 25: error: unknown item kind 4" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD 04 01 04 01 00 00 $BODY $RET
# Opcode 53: one past the last entry of opcodes.def.
case_ bin-bad-opcode "byte 36: error: unknown opcode 53" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY 35 04 00 01 02 04 00 00
case_ bin-operand-kind "byte 40: error: unknown operand kind 3" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY 33 04 00 01 03 04 00 00
# ret %0 in a function without values.
case_ bin-value-index "byte 42: error: value number 0 out of range (the function has 0)" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY 33 04 00 01 00 04 00 00
# br to block 5 (opcode 48, type void, no result, no operands, 1 target
# with no arguments) in a function of one block; the section shrinks by one.
case_ bin-block-index "byte 41: error: block number 5 out of range (the function has 1)" \
    $HEAD $STRINGS 02 14 $MOD $FUNC $BODY 30 00 00 00 01 05 00
# i1 constants are 0 or -1 (sign-extended): 1 is out of range.
case_ bin-const-range "byte 42: error: constant 1 out of range for i1" \
    $HEAD $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY 33 04 00 01 02 01 01 00

# Version 3: proof obligations (section 4) after the items.
V3="7f 59 56 4d 03"
case_ bin-oblig-missing "byte 44: error: missing section 4 (obligations)" \
    $V3 $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET
case_ bin-oblig-empty "byte 46: error: a version 3 module has at least one obligation" \
    $V3 $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET 04 01 00
case_ bin-oblig-item "byte 47: error: item index 5 out of range (the module has 1)" \
    $V3 $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET 04 05 01 05 00 0d 00
case_ bin-oblig-value "byte 48: error: value number 0 out of range (the function has 0)" \
    $V3 $STRINGS $ITEMS_HEAD $MOD $FUNC $BODY $RET 04 05 01 00 00 0d 00
