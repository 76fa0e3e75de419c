/* cache.h - proved (rule, width combination) pairs remembered on disk.
 *
 * The key is the SHA-256 of the prover's identity (a hash of its sources,
 * fixed at build time, and Z3's version), the rule's canonical text and
 * the combination: a rule that changes in any way, or a prover whose
 * encoding changes, never meets an old entry. Only proofs are stored;
 * failures are always recomputed. An entry is a file
 * DIR/ab/cdef... (the key's first two hex digits name a subdirectory),
 * written under a temporary name and renamed, so concurrent provers
 * sharing a directory never see half an entry.
 *
 * The cache is trusted: whoever can write the directory can make a rule
 * look proved. `yvm-prove --no-cache` proves everything afresh. */
#ifndef YVM_CACHE_H
#define YVM_CACHE_H

#include <stdbool.h>

#include "rule.h"

/* The key of `r` (canonical text `text`) at `combo`, as 64 hex digits. */
void cache_key(const Rule *r, const char *text, const uint8_t *combo, char key[65]);
bool cache_has(const char *dir, const char *key);
/* Best effort: false when the entry could not be written. */
bool cache_put(const char *dir, const char *key, const char *note);

#endif
