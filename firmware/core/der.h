/* The one DER rule the firmware needs outside wolfSSL: how long the SEQUENCE
 * at the start of a buffer is (a certificate, or one of a bundle's). */
#ifndef WB_DER_H
#define WB_DER_H

#include <stddef.h>
#include <stdint.h>

/* Total bytes (header + body) of the definite-length SEQUENCE at p, or 0 when
 * p does not start one that fits in len (at most 4 length bytes). */
static inline size_t wb_der_sequence_length(const uint8_t *p, size_t len)
{
    if (len < 2 || p[0] != 0x30) return 0;
    size_t header = 2, body = p[1];
    if (p[1] & 0x80) {
        size_t count = p[1] & 0x7fu;
        if (count == 0 || count > 4 || len < 2 + count) return 0;
        body = 0;
        for (size_t i = 0; i < count; i++) body = (body << 8) | p[2 + i];
        header += count;
    }
    return body <= len - header ? header + body : 0;
}

#endif
