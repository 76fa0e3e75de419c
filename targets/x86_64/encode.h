/* encode.h - the encoding table's row format (rows come from insns.def),
 * shared by the encoder and its differential test.
 */
#ifndef YVM_X86_ENCODE_H
#define YVM_X86_ENCODE_H

#include <stddef.h>
#include <stdint.h>

enum { Z1 = 1, Z2 = 2, Z4 = 4, Z8 = 8, ZW = Z2 | Z4 | Z8 };
/* Operand classes (insns.def explains each). */
enum { K_NONE, K_R, K_X, K_M, K_RM, K_XM, K_ACC, K_CL, K_I, K_I8, K_ONE, K_L, K_S };
enum { E_NP, E_RM, E_MR, E_M, E_O, E_REL8, E_REL32 };
enum { I_NO, I_8, I_Z, I_32, I_64, I_CNT };
enum { W_NO, W_SIZE, W_SIZE2, W_YES };
enum { F_CC = 1 };

typedef struct X86EncRow {
    uint8_t op, sizes, sizes2;
    uint8_t k[3];
    uint8_t prefix, nopc;
    uint8_t opc[3];
    uint8_t enc, digit, imm, rexw, flags;
} X86EncRow;

extern const X86EncRow x86_enc_rows[];
extern const size_t x86_enc_nrows;

#endif
