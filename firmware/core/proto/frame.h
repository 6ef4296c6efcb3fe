/* Length-prefixed framing (docs/protocol.md §3): a 4-byte big-endian length,
 * then one CBOR item. The receiver checks the length against its limit as soon
 * as the prefix is in, before buffering any payload byte, and then fills a
 * caller-provided buffer of exactly that limit. */
#ifndef WB_PROTO_FRAME_H
#define WB_PROTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "proto/status.h"

typedef struct {
    uint8_t *buf;       /* payload storage, `limit` bytes */
    uint32_t limit;     /* receive limit on the length prefix */
    uint8_t prefix[4];
    uint8_t prefix_len; /* prefix bytes held */
    uint32_t need;      /* payload length of the frame being received, 0 between payloads */
    uint32_t have;      /* payload bytes held */
    wb_status failure;  /* sticky: after a framing error the stream position is lost */
} wb_frame_rx;

void wb_frame_rx_init(wb_frame_rx *rx, uint8_t *buf, uint32_t limit);

/* Consumes bytes until a frame is complete or `len` is used up. Returns WB_OK
 * with *frame == NULL when more bytes are needed, WB_OK with the payload in
 * *frame / *frame_len (valid until the next call) when one is complete, or a
 * framing error (frame_too_large, malformed_frame for a zero length). *consumed
 * says how many bytes were used; call again with the rest. */
wb_status wb_frame_rx_push(wb_frame_rx *rx, const uint8_t *data, size_t len, size_t *consumed, const uint8_t **frame,
                           uint32_t *frame_len);

/* End of stream: malformed_frame if it ended inside a frame. */
wb_status wb_frame_rx_end(wb_frame_rx *rx);

#endif
