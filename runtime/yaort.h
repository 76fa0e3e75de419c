/* yaort.h - the Yao runtime: the C functions compiled Yao programs call
 * (as IR `extern func`s, resolved by yvm-run with `-l yaort`, and linked
 * into native executables). Every function is total: no input makes one
 * crash or read out of bounds.
 *
 * Strings cross the boundary as (pointer, length) and are never assumed
 * NUL-terminated. Text made here (formatting, input, command output) is
 * built in a YaoBuf owned by the runtime; the program asks for its length,
 * allocates that much of its own memory and has the bytes copied into it
 * (yao_buf_finish), so compiled code only ever touches its own memory. */
#ifndef YAORT_H
#define YAORT_H

#include <stdint.h>

typedef struct YaoBuf YaoBuf;
typedef struct YaoCmd YaoCmd;

/* ---- output and strings (io.c) ---- */
void yao_write(int32_t fd, const uint8_t *p, int64_t n); /* fd 1 or 2 */
void yao_write_bytes(int32_t fd, const uint8_t *p, int64_t n); /* std.io write */
int32_t yao_str_eq(const uint8_t *a, int64_t na, const uint8_t *b, int64_t nb);
/* 1 when an allocation succeeded (compiled code cannot name NULL). */
int32_t yao_nonnull(const void *p);
/* All of standard input; yao_buf_failed() tells whether reading failed. */
YaoBuf *yao_read_all(void);

/* ---- buffers and formatting (format.c) ---- */
YaoBuf *yao_buf_new(void);
int64_t yao_buf_len(const YaoBuf *b);
int32_t yao_buf_failed(const YaoBuf *b);
/* Copy the bytes to dst (yao_buf_len bytes) and free the buffer. */
void yao_buf_finish(YaoBuf *b, uint8_t *dst);
void yao_buf_free(YaoBuf *b);
/* Write the bytes to fd (1 or 2), then free the buffer. */
void yao_buf_write(YaoBuf *b, int32_t fd);

/* Append a value; width < 0: no padding (otherwise pad on the left). */
void yao_fmt_str(YaoBuf *b, const uint8_t *p, int64_t n, int32_t width);
void yao_fmt_bool(YaoBuf *b, int32_t v, int32_t width);
/* Integers: v holds the value sign- or zero-extended to 64 bits. */
enum {
    YAO_FMT_UNSIGNED = 1 << 0,
    YAO_FMT_ZERO = 1 << 1,     /* pad with zeros after the sign */
    YAO_FMT_F32 = 1 << 2,      /* floats: shortest form of an f32 */
    YAO_FMT_BITS_SHIFT = 8,    /* integers: bit width (8..64) for x/X/b */
    YAO_FMT_CONV_SHIFT = 16,   /* integers: 0 decimal, 'x', 'X', 'b' */
};
void yao_fmt_int(YaoBuf *b, int64_t v, int32_t flags, int32_t width);
/* prec < 0: the shortest decimal that reads back as the same value;
 * otherwise exactly C's "%.{prec}f". */
void yao_fmt_float(YaoBuf *b, double v, int32_t prec, int32_t width, int32_t flags);

/* ---- parsing (parse.c): 0 ok, 1 not a number, 2 out of range ---- */
int32_t yao_parse_i64(const uint8_t *p, int64_t n, int64_t *out);
int32_t yao_parse_f64(const uint8_t *p, int64_t n, double *out);

/* ---- commands (shell.c): fork/exec and pipes, never a shell ---- */
enum { YAO_SH_PIPE = 1, YAO_SH_IN, YAO_SH_OUT, YAO_SH_APPEND, YAO_SH_ERR };
YaoCmd *yao_sh_new(void);
void yao_sh_word(YaoCmd *c, YaoBuf *word);  /* takes the buffer */
void yao_sh_op(YaoCmd *c, int32_t op);
/* Run it; capture != 0 collects stdout and stderr. The exit status of
 * the last command (128 + N after signal N; 127 if it cannot start). */
int32_t yao_sh_run(YaoCmd *c, int32_t capture);
int64_t yao_sh_out_len(const YaoCmd *c, int32_t which); /* 1 stdout, 2 stderr */
void yao_sh_out_copy(const YaoCmd *c, int32_t which, uint8_t *dst);
void yao_sh_free(YaoCmd *c);

#endif
