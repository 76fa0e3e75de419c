/* parse.c - parse_i64 and parse_f64: a whole string as one decimal
 * number (an optional sign, no spaces); 1 when it is not one, 2 when an
 * integer does not fit in i64. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "yaort.h"

int32_t yao_parse_i64(const uint8_t *p, int64_t n, int64_t *out)
{
    int64_t i = 0;
    int neg = 0;
    if (n > 0 && (p[0] == '-' || p[0] == '+')) {
        neg = p[0] == '-';
        i = 1;
    }
    if (i >= n)
        return 1;
    uint64_t v = 0, limit = neg ? UINT64_C(9223372036854775808) : UINT64_C(9223372036854775807);
    int big = 0;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 1;
        unsigned d = p[i] - '0';
        if (v > (limit - d) / 10)
            big = 1;
        else
            v = v * 10 + d;
    }
    if (big)
        return 2;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int32_t yao_parse_f64(const uint8_t *p, int64_t n, double *out)
{
    if (n <= 0 || n > 4096)
        return 1;
    char buf[4100];
    memcpy(buf, p, (size_t)n);
    buf[n] = 0;
    if (memchr(buf, 0, (size_t)n) || buf[0] == ' ' || buf[0] == '\t' || buf[0] == '\n' ||
        buf[0] == '\r' || buf[0] == '\f' || buf[0] == '\v')
        return 1;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + n)
        return 1;
    *out = v;
    return 0;
}
