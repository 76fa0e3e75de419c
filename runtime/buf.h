/* buf.h - the runtime's growable byte buffer (YaoBuf), shared by the
 * formatting, input and command code. Allocation failure aborts: the
 * runtime has no way to report it to the program. */
#ifndef YAORT_BUF_H
#define YAORT_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "yaort.h"

struct YaoBuf {
    uint8_t *p;
    size_t n, cap;
    int failed;
};

void buf_put(YaoBuf *b, const void *p, size_t n);
void buf_putc(YaoBuf *b, uint8_t c);
void buf_pad(YaoBuf *b, uint8_t c, size_t n);

#endif
