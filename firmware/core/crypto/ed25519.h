/* Ed25519 (RFC 8032) for a device: signature verification (manifests) and the
 * public key of a 32-byte seed (the provisioned identity). Compact rather than
 * fast: field elements are 16 limbs of 16 bits (TweetNaCl's representation).
 * Uses about 2 KiB of stack. */
#ifndef WB_CRYPTO_ED25519_H
#define WB_CRYPTO_ED25519_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true when `signature` is a valid signature of message by public_key. Rejects
 * S >= L (malleable encodings) and public keys that are not curve points. */
bool wb_ed25519_verify(const uint8_t signature[64], const uint8_t *message, size_t len, const uint8_t public_key[32]);

void wb_ed25519_public_key(const uint8_t seed[32], uint8_t public_key[32]);

#endif
