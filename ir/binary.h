/* binary.h - the constants of the binary form `.yvmb` that the reader
 * (binary_read.c) and the writer (binary_write.c) share, and its LEB128
 * integer codec. docs/ir.md ("Binary form") describes the format byte by
 * byte; keep the two in step.
 *
 * The codec is here, as static inline functions, so that the unit tests
 * check the very code the reader and writer use. Decoding is strict: an
 * overlong encoding (one that a shorter one would spell) or a value that
 * does not fit in 64 bits is an error, so every integer has exactly one
 * encoding and the whole format stays canonical. */
#ifndef YVM_BINARY_H
#define YVM_BINARY_H

#include <stddef.h>
#include <stdint.h>

/* "\x7fYVM": DEL can never start an IR text file, so the first byte alone
 * tells the forms apart (ir_is_binary). */
#define YVMB_MAGIC "\x7fYVM"
#define YVMB_MAGIC_LEN 4
/* Version 1: strings and items. Version 2 adds the rules section, which
 * a version-2 file must have and a version-1 file cannot: the writer
 * writes version 1 for a module without rule items (so such files are
 * exactly what they always were) and version 2 for one with rules. */
#define YVMB_VERSION 1
#define YVMB_VERSION_RULES 2
/* Version 3 adds the obligations section (proof obligations, docs/ir.md),
 * which it must have; its rules section is there only when the module has
 * rules. The writer writes version 3 only for a module with obligations. */
#define YVMB_VERSION_OBLIGS 3

/* Section ids, in the order the sections must appear. */
enum {
    YVMB_SEC_STRINGS = 1, /* every name, trap reason and data string */
    YVMB_SEC_ITEMS = 2,   /* module name, then the items in order */
    YVMB_SEC_RULES = 3,   /* version 2: the rule items' canonical texts */
    YVMB_SEC_OBLIGS = 4,  /* version 3: the proof obligations */
    YVMB_SEC_LAST = YVMB_SEC_OBLIGS,
};

/* Item kinds (the first field of an item). */
enum {
    YVMB_ITEM_FUNC = 0,
    YVMB_ITEM_EXTERN = 1,
    YVMB_ITEM_DATA = 2,
    YVMB_ITEM_GLOBAL = 3,
    YVMB_ITEM_KIND_COUNT
};

/* The longest LEB128 encoding of a 64-bit value. */
#define YVMB_LEB_MAX 10

typedef enum YvmbLebStatus {
    YVMB_LEB_OK,
    YVMB_LEB_TRUNCATED, /* the buffer ended inside the number */
    YVMB_LEB_OVERLONG,  /* a shorter encoding of the same value exists */
    YVMB_LEB_OVERFLOW,  /* the value does not fit in 64 bits */
} YvmbLebStatus;

/* Encode v into out (YVMB_LEB_MAX bytes of room); returns the length. */
static inline size_t yvmb_put_uleb(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        out[n++] = b | (v ? 0x80 : 0);
    } while (v);
    return n;
}

static inline size_t yvmb_put_sleb(uint8_t *out, int64_t v)
{
    size_t n = 0;
    for (;;) {
        uint8_t b = (uint8_t)v & 0x7f;
        /* Arithmetic shift written portably: v >> 7 rounding down. */
        v = v < 0 ? ~(~v >> 7) : v >> 7;
        if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
            out[n++] = b;
            return n;
        }
        out[n++] = b | 0x80;
    }
}

/* Decode an unsigned LEB128 from [p, end). On YVMB_LEB_OK *v is the value
 * and *used its length; otherwise *used is the offset (from p) of the
 * offending byte: for TRUNCATED, the length available (end - p). */
static inline YvmbLebStatus yvmb_get_uleb(const uint8_t *p, const uint8_t *end,
                                          uint64_t *v, size_t *used)
{
    uint64_t x = 0;
    for (size_t i = 0;; i++) {
        if (p + i >= end) {
            *used = i;
            return YVMB_LEB_TRUNCATED;
        }
        uint8_t b = p[i];
        if (i == YVMB_LEB_MAX - 1 && (b & 0xfe)) {
            /* The tenth byte holds only bit 63 and must end the number. */
            *used = i;
            return YVMB_LEB_OVERFLOW;
        }
        x |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0) {
                *used = i;
                return YVMB_LEB_OVERLONG;
            }
            *v = x;
            *used = i + 1;
            return YVMB_LEB_OK;
        }
    }
}

static inline YvmbLebStatus yvmb_get_sleb(const uint8_t *p, const uint8_t *end,
                                          int64_t *v, size_t *used)
{
    uint64_t x = 0;
    for (size_t i = 0;; i++) {
        if (p + i >= end) {
            *used = i;
            return YVMB_LEB_TRUNCATED;
        }
        uint8_t b = p[i];
        if (i == YVMB_LEB_MAX - 1 && b != 0x00 && b != 0x7f) {
            /* The tenth byte holds bit 63; its other bits are copies of
             * it and it must end the number. */
            *used = i;
            return YVMB_LEB_OVERFLOW;
        }
        x |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            /* A last byte that only repeats the sign of the byte before
             * it is redundant. */
            if (i > 0 && (b == 0x00 || b == 0x7f) &&
                ((p[i - 1] & 0x40) != 0) == (b == 0x7f)) {
                *used = i;
                return YVMB_LEB_OVERLONG;
            }
            unsigned shift = 7 * (unsigned)(i + 1);
            if (shift < 64 && (b & 0x40))
                x |= ~UINT64_C(0) << shift; /* sign-extend */
            *v = (int64_t)x;
            *used = i + 1;
            return YVMB_LEB_OK;
        }
    }
}

#endif
