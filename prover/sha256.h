/* sha256.h - SHA-256 (FIPS 180-4), for the prover's cache keys. */
#ifndef YVM_SHA256_H
#define YVM_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* The digest of data[0..len) as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
