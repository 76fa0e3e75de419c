/* strbuf.h - a growable NUL-terminated string, for messages and the
 * canonical rule text. Out of memory aborts, as the arena does. */
#ifndef YVM_STRBUF_H
#define YVM_STRBUF_H

#include <stddef.h>

typedef struct StrBuf {
    char *s;      /* NUL-terminated once anything was added; may be NULL */
    size_t len, cap;
} StrBuf;

void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_puts(StrBuf *b, const char *s);
/* The string, handed over to the caller (never NULL); b is empty after. */
char *sb_take(StrBuf *b);
void sb_free(StrBuf *b);

#endif
