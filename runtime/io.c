/* io.c - output, input and string comparison for compiled Yao.
 *
 * Standard output goes through C's stdio buffer (flushed at exit, before
 * a trap message and before a command runs), so that printing in a loop
 * costs no system call per line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

void yao_write(int32_t fd, const uint8_t *p, int64_t n)
{
    if (n <= 0)
        return;
    FILE *f = fd == 2 ? stderr : stdout;
    if (fd == 2)
        fflush(stdout);
    fwrite(p, 1, (size_t)n, f);
}

/* std.io's write(b: []u8): raw bytes (binary output such as PBM). */
void yao_write_bytes(int32_t fd, const uint8_t *p, int64_t n)
{
    yao_write(fd, p, n);
}

int32_t yao_str_eq(const uint8_t *a, int64_t na, const uint8_t *b, int64_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, (size_t)na) == 0);
}

int32_t yao_nonnull(const void *p)
{
    return p != NULL;
}

YaoBuf *yao_read_all(void)
{
    YaoBuf *b = yao_buf_new();
    char tmp[65536];
    for (;;) {
        size_t n = fread(tmp, 1, sizeof tmp, stdin);
        buf_put(b, tmp, n);
        if (n < sizeof tmp) {
            if (ferror(stdin))
                b->failed = 1;
            break;
        }
    }
    return b;
}
