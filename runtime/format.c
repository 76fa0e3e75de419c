/* format.c - YaoBuf and the formatting behind string interpolation:
 * integers (decimal, hex, binary), floats (shortest round-trip decimal,
 * or C's %.Nf), bools and strings, padded on the left to a width. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

/* ---- buffers ---- */

YaoBuf *yao_buf_new(void)
{
    YaoBuf *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    return b;
}

void buf_put(YaoBuf *b, const void *p, size_t n)
{
    if (!n)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q)
            abort();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

void buf_putc(YaoBuf *b, uint8_t c)
{
    buf_put(b, &c, 1);
}

void buf_pad(YaoBuf *b, uint8_t c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(b, c);
}

int64_t yao_buf_len(const YaoBuf *b)
{
    return (int64_t)b->n;
}

int32_t yao_buf_failed(const YaoBuf *b)
{
    return b->failed;
}

void yao_buf_free(YaoBuf *b)
{
    if (b) {
        free(b->p);
        free(b);
    }
}

void yao_buf_finish(YaoBuf *b, uint8_t *dst)
{
    if (b->n)
        memcpy(dst, b->p, b->n);
    yao_buf_free(b);
}

void yao_buf_write(YaoBuf *b, int32_t fd)
{
    yao_write(fd, b->p, (int64_t)b->n);
    yao_buf_free(b);
}

/* ---- padding ---- */

/* Append text of n bytes padded to width; with zero padding the zeros
 * go after a leading sign. */
static void put_padded(YaoBuf *b, const char *s, size_t n, int32_t width, int zero)
{
    size_t w = width > 0 ? (size_t)width : 0;
    if (n >= w) {
        buf_put(b, s, n);
        return;
    }
    if (zero) {
        size_t sign = n && (s[0] == '-' || s[0] == '+');
        buf_put(b, s, sign);
        buf_pad(b, '0', w - n);
        buf_put(b, s + sign, n - sign);
        return;
    }
    buf_pad(b, ' ', w - n);
    buf_put(b, s, n);
}

void yao_fmt_str(YaoBuf *b, const uint8_t *p, int64_t n, int32_t width)
{
    put_padded(b, (const char *)p, n > 0 ? (size_t)n : 0, width, 0);
}

void yao_fmt_bool(YaoBuf *b, int32_t v, int32_t width)
{
    const char *s = v ? "true" : "false";
    put_padded(b, s, strlen(s), width, 0);
}

/* ---- integers ---- */

void yao_fmt_int(YaoBuf *b, int64_t v, int32_t flags, int32_t width)
{
    char tmp[80];
    size_t n = 0;
    int conv = (flags >> YAO_FMT_CONV_SHIFT) & 0xff;
    int zero = (flags & YAO_FMT_ZERO) != 0;
    if (conv == 'x' || conv == 'X' || conv == 'b') {
        unsigned bits = (unsigned)(flags >> YAO_FMT_BITS_SHIFT) & 0xff;
        uint64_t u = (uint64_t)v;
        if (bits > 0 && bits < 64)
            u &= (UINT64_C(1) << bits) - 1;
        const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        unsigned shift = conv == 'b' ? 1 : 4, mask = conv == 'b' ? 1 : 15;
        char rev[70];
        size_t k = 0;
        do {
            rev[k++] = digits[u & mask];
            u >>= shift;
        } while (u);
        while (k)
            tmp[n++] = rev[--k];
    } else if (flags & YAO_FMT_UNSIGNED) {
        n = (size_t)snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    } else {
        n = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    }
    put_padded(b, tmp, n, width, zero);
}

/* ---- floats ---- */

/* The shortest decimal digits of v (finite, > 0) that read back as v
 * (as an f32 when is_f32): digits without a point, and the decimal
 * exponent of the first digit. */
static size_t shortest_digits(double v, int is_f32, char *digits, int *exp10)
{
    char buf[64];
    int maxp = is_f32 ? 9 : 17;
    for (int p = 1; p <= maxp; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, v);
        int same = is_f32 ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v;
        if (same || p == maxp)
            break;
    }
    /* buf is "d.ddde[+-]XX" */
    size_t n = 0;
    const char *s = buf;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[n++] = *s;
    *exp10 = *s == 'e' ? atoi(s + 1) : 0;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = 0;
    return n;
}

/* The shortest round-trip form, without an exponent: 0.1, 100, 1.5e-7
 * as 0.00000015. */
static void put_shortest(YaoBuf *out, double v, int is_f32, int32_t width, int zero)
{
    YaoBuf tmp = {0};
    if (isnan(v)) {
        buf_put(&tmp, signbit(v) ? "-nan" : "nan", signbit(v) ? 4 : 3);
    } else if (isinf(v)) {
        buf_put(&tmp, v < 0 ? "-inf" : "inf", v < 0 ? 4 : 3);
    } else {
        if (signbit(v))
            buf_putc(&tmp, '-');
        double a = fabs(v);
        if (a == 0) {
            buf_putc(&tmp, '0');
        } else {
            char digits[40];
            int e;
            size_t n = shortest_digits(a, is_f32, digits, &e);
            if (e < 0) {
                buf_put(&tmp, "0.", 2);
                buf_pad(&tmp, '0', (size_t)(-e - 1));
                buf_put(&tmp, digits, n);
            } else if ((size_t)e + 1 >= n) {
                buf_put(&tmp, digits, n);
                buf_pad(&tmp, '0', (size_t)e + 1 - n);
            } else {
                buf_put(&tmp, digits, (size_t)e + 1);
                buf_putc(&tmp, '.');
                buf_put(&tmp, digits + e + 1, n - (size_t)e - 1);
            }
        }
    }
    put_padded(out, (const char *)tmp.p, tmp.n, width, zero && isfinite(v));
    free(tmp.p);
}

void yao_fmt_float(YaoBuf *b, double v, int32_t prec, int32_t width, int32_t flags)
{
    int zero = (flags & YAO_FMT_ZERO) != 0;
    if (prec < 0) {
        put_shortest(b, v, (flags & YAO_FMT_F32) != 0, width, zero);
        return;
    }
    int n = snprintf(NULL, 0, "%.*f", (int)prec, v);
    if (n < 0)
        return;
    char *s = malloc((size_t)n + 1);
    if (!s)
        abort();
    snprintf(s, (size_t)n + 1, "%.*f", (int)prec, v);
    put_padded(b, s, (size_t)n, width, zero && isfinite(v));
    free(s);
}
