#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "device.h"
#include "proto/limits.h"
#include "proto/messages.h"
#include "version.h"

static wb_slice text(const char *s)
{
    return (wb_slice){(const uint8_t *)s, (uint32_t)strlen(s)};
}

size_t device_hello_frame(uint8_t *buf, size_t cap)
{
    const board_info *b = board_get_info();
    wb_message m;
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_HELLO;
    m.msg_id = 1;
    wb_hello *h = &m.body.hello;
    h->firmware = text(WB_FIRMWARE_NAME " " WB_FIRMWARE_VERSION);
    h->board = text(b->name);
    h->arch = text(b->arch);
    h->ram_bytes = b->ram_bytes;
    h->max_frame_bytes = WB_DEVICE_MAX_FRAME_BYTES;
    /* A codec self-test: the agent announces the real runtime in its own Hello. */
    h->runtime.name = text("none");
    h->runtime.version = text("0");
    size_t len = 0;
    return wb_message_encode_frame(&m, buf, cap, &len, NULL) == WB_OK ? len : 0;
}

int device_protocol_selftest(void)
{
    static uint8_t frame[512];
    size_t len = device_hello_frame(frame, sizeof frame);
    wb_message m;
    wb_decode_info info;
    wb_status s = len > WB_FRAME_PREFIX_BYTES ? wb_message_decode_from(WB_SENDER_DEVICE, frame + 4, len - 4, &m, NULL, &info)
                                              : WB_ERR_NO_SPACE;
    const board_info *b = board_get_info();
    int ok = s == WB_OK && m.type == WB_MSG_HELLO && m.body.hello.max_frame_bytes == WB_DEVICE_MAX_FRAME_BYTES &&
             m.body.hello.board.len == strlen(b->name) && memcmp(m.body.hello.board.ptr, b->name, m.body.hello.board.len) == 0;
    printf("protocol: v%u, Hello frame %u bytes, decode round trip %s (%s)\n", WB_PROTOCOL_VERSION, (unsigned)len,
           ok ? "ok" : "FAILED", wb_status_code(s));
    return ok ? 0 : -1;
}

int device_heap_selftest(void)
{
    uintptr_t lo = (uintptr_t)__heap_start, hi = (uintptr_t)__heap_end;
    int ok = 1;
    /* One large block, then many small ones, all inside the linker's heap region. */
    size_t big_size = (hi - lo) / 2;
    uint8_t *big = malloc(big_size);
    ok &= big != NULL && (uintptr_t)big >= lo && (uintptr_t)big + big_size <= hi;
    if (big) {
        memset(big, 0xa5, big_size);
        ok &= big[0] == 0xa5 && big[big_size - 1] == 0xa5;
    }
    void *small[32];
    for (int i = 0; i < 32; i++) {
        small[i] = malloc(64u + 16u * (unsigned)i);
        ok &= small[i] != NULL && (uintptr_t)small[i] >= lo && (uintptr_t)small[i] < hi;
    }
    for (int i = 0; i < 32; i++) free(small[i]);
    free(big);
    /* What cannot fit must fail cleanly. */
    void *too_big = malloc(hi - lo + 1);
    ok &= too_big == NULL;
    printf("heap: %" PRIu32 " bytes at 0x%08" PRIxPTR "..0x%08" PRIxPTR " (malloc self-test %s)\n", (uint32_t)(hi - lo),
           lo, hi, ok ? "ok" : "FAILED");
    return ok ? 0 : -1;
}
