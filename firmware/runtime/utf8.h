/* UTF-8 as the ABI treats log messages (docs/app-abi.md §2.1): the WHATWG
 * decoder, which replaces each maximal invalid subpart with U+FFFD. (Config
 * keys are checked strictly with the codec's wb_utf8_valid, proto/cbor.h.) */
#ifndef WB_RUNTIME_UTF8_H
#define WB_RUNTIME_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes the bytes' decoding (U+FFFD for invalid sequences) as UTF-8 to out,
 * which must hold 3 * len bytes; returns the length written. */
size_t wb_utf8_sanitize(const uint8_t *p, size_t len, char *out);

/* A log message: the first `keep` bytes (minus a sequence that cut splits),
 * sanitized into out (3 * keep bytes). *truncated: len > keep. */
size_t wb_utf8_log_text(const uint8_t *p, size_t len, size_t keep, char *out, bool *truncated);

#endif
