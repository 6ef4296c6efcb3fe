#include <string.h>

#include "proto/frame.h"

void wb_frame_rx_init(wb_frame_rx *rx, uint8_t *buf, uint32_t limit)
{
    memset(rx, 0, sizeof *rx);
    rx->buf = buf;
    rx->limit = limit;
}

wb_status wb_frame_rx_push(wb_frame_rx *rx, const uint8_t *data, size_t len, size_t *consumed, const uint8_t **frame,
                           uint32_t *frame_len)
{
    *consumed = 0;
    *frame = NULL;
    *frame_len = 0;
    if (rx->failure != WB_OK) return rx->failure;
    size_t pos = 0;
    while (pos < len) {
        if (rx->need == 0) {
            rx->prefix[rx->prefix_len++] = data[pos++];
            if (rx->prefix_len < sizeof rx->prefix) continue;
            rx->prefix_len = 0;
            uint32_t length = ((uint32_t)rx->prefix[0] << 24) | ((uint32_t)rx->prefix[1] << 16) |
                              ((uint32_t)rx->prefix[2] << 8) | rx->prefix[3];
            if (length == 0) rx->failure = WB_ERR_MALFORMED_FRAME;
            else if (length > rx->limit) rx->failure = WB_ERR_FRAME_TOO_LARGE;
            if (rx->failure != WB_OK) {
                *consumed = pos;
                return rx->failure;
            }
            rx->need = length;
            rx->have = 0;
            continue;
        }
        size_t n = len - pos;
        if (n > rx->need - rx->have) n = rx->need - rx->have;
        memcpy(rx->buf + rx->have, data + pos, n);
        rx->have += (uint32_t)n;
        pos += n;
        if (rx->have == rx->need) {
            *frame = rx->buf;
            *frame_len = rx->need;
            rx->need = 0;
            rx->have = 0;
            break;
        }
    }
    *consumed = pos;
    return WB_OK;
}

wb_status wb_frame_rx_end(wb_frame_rx *rx)
{
    if (rx->failure != WB_OK) return rx->failure;
    if (rx->prefix_len > 0 || rx->need > 0) rx->failure = WB_ERR_MALFORMED_FRAME;
    return rx->failure;
}
