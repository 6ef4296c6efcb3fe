/* Random mutations of the valid vectors (messages and manifests) and random
 * chunkings of frame streams. Under ASan/UBSan nothing may crash, and every
 * accepted input must behave: a decoded message re-encodes and decodes to the
 * same value, and an accepted manifest re-encodes to exactly its own bytes (its
 * encoding is unique). FUZZ_ITERATIONS and FUZZ_SEED override the defaults. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_form.h"
#include "proto/frame.h"
#include "proto/limits.h"
#include "proto/manifest.h"
#include "proto/messages.h"
#include "vector_data.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_INPUT 8192

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

static const uint8_t interesting[] = {0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x38, 0x3f, 0x40,
                                      0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xd8, 0xf4, 0xf5, 0xf6, 0xf7,
                                      0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xff};

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    int rounds = 1 + (int)below(4);
    for (int r = 0; r < rounds; r++) {
        size_t at = below(len);
        switch (below(7)) {
        case 0:
            if (len) buf[at] ^= (uint8_t)(1u << below(8));
            break;
        case 1:
            if (len) buf[at] = interesting[below(sizeof interesting)];
            break;
        case 2:
            if (len) buf[at] = (uint8_t)rnd();
            break;
        case 3:
            if (len < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = (uint8_t)rnd();
                len++;
            }
            break;
        case 4:
            if (len > 1) {
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            }
            break;
        case 5:
            len = below(len + 1);
            break;
        default: {
            /* Copy a run of bytes elsewhere: duplicated keys and items. */
            uint8_t run[64];
            size_t from = below(len), n = below(len - from + 1);
            if (n > sizeof run) n = sizeof run;
            if (n && len + n <= cap) {
                memcpy(run, buf + from, n);
                memmove(buf + at + n, buf + at, len - at);
                memcpy(buf + at, run, n);
                len += n;
            }
        }
        }
    }
    return len;
}

static uint8_t arena_mem[64 * 1024];
static uint8_t out[WB_GATEWAY_MAX_FRAME_BYTES];
static unsigned accepted_messages, accepted_manifests;

static void fuzz_message(const uint8_t *input, size_t len)
{
    wb_message m;
    wb_decode_info info;
    wb_arena arena;
    wb_arena_init(&arena, arena_mem, sizeof arena_mem);
    if (wb_message_decode(input, len, &m, &arena, &info) != WB_OK) return;
    accepted_messages++;
    size_t out_len;
    wb_path path;
    wb_status s = wb_message_encode(&m, out, sizeof out, &out_len, &path);
    CHECK(s == WB_OK, "accepted message does not re-encode: %s at %s", wb_status_code(s), path.text);
    if (s != WB_OK) return;
    json_buf a = {0}, b = {0};
    json_message(&a, &m);
    wb_message again;
    wb_arena_init(&arena, arena_mem, sizeof arena_mem);
    s = wb_message_decode(out, out_len, &again, &arena, &info);
    if (s == WB_OK) json_message(&b, &again);
    CHECK(s == WB_OK && a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0, "re-encoded message decodes differently");
    json_free(&a);
    json_free(&b);
}

static void fuzz_manifest(const uint8_t *input, size_t len)
{
    wb_manifest m;
    wb_path path;
    wb_arena arena;
    wb_arena_init(&arena, arena_mem, sizeof arena_mem);
    if (wb_manifest_decode(input, len, &m, &arena, &path) != WB_OK) return;
    accepted_manifests++;
    size_t out_len;
    wb_status s = wb_manifest_encode(&m, out, sizeof out, &out_len, &path);
    CHECK(s == WB_OK && out_len == len && memcmp(out, input, len) == 0,
          "accepted manifest does not re-encode to its own bytes (%s)", wb_status_code(s));
}

/* Valid frames back to back, fed in random pieces, must come out unchanged. */
static void fuzz_chunking(void)
{
    static uint8_t stream[64 * 1024];
    size_t len = 0, starts[64], count = 0;
    while (count < 64) {
        const message_vector *v = &message_vectors[below(COUNT(message_vectors))];
        if (v->error || len + v->input.len > sizeof stream) break;
        starts[count++] = len;
        memcpy(stream + len, v->input.data, v->input.len);
        len += v->input.len;
    }
    static uint8_t rx_buf[WB_GATEWAY_MAX_FRAME_BYTES];
    wb_frame_rx rx;
    wb_frame_rx_init(&rx, rx_buf, sizeof rx_buf);
    size_t pos = 0, seen = 0;
    bool ok = true;
    while (pos < len) {
        size_t n = 1 + below(300);
        if (n > len - pos) n = len - pos;
        size_t off = 0;
        while (off < n) {
            size_t used;
            const uint8_t *frame;
            uint32_t frame_len;
            if (wb_frame_rx_push(&rx, stream + pos + off, n - off, &used, &frame, &frame_len) != WB_OK) ok = false;
            off += used;
            if (frame) {
                size_t expect = seen + 1 < count ? starts[seen + 1] - starts[seen] - 4 : len - starts[seen] - 4;
                ok &= seen < count && frame_len == expect && memcmp(frame, stream + starts[seen] + 4, frame_len) == 0;
                seen++;
            }
            if (!ok) break;
        }
        pos += n;
    }
    CHECK(ok && seen == count && wb_frame_rx_end(&rx) == WB_OK, "random chunking: %zu of %zu frames", seen, count);
}

int main(void)
{
    const char *env_iter = getenv("FUZZ_ITERATIONS");
    const char *env_seed = getenv("FUZZ_SEED");
    unsigned long iterations = env_iter ? strtoul(env_iter, NULL, 10) : 100000;
    rng_state = env_seed ? strtoull(env_seed, NULL, 0) : 0x5eed5eed5eedull;
    if (rng_state == 0) rng_state = 1;
    printf("fuzz_test: %lu iterations, seed 0x%llx\n", iterations, (unsigned long long)rng_state);

    static uint8_t buf[MAX_INPUT];
    for (unsigned long i = 0; i < iterations; i++) {
        if (i % 3 == 2) {
            const manifest_vector *v = &manifest_vectors[below(COUNT(manifest_vectors))];
            memcpy(buf, v->input.data, v->input.len);
            fuzz_manifest(buf, mutate(buf, v->input.len, sizeof buf));
        } else {
            const message_vector *v = &message_vectors[below(COUNT(message_vectors))];
            size_t len = v->input.len - 4; /* the payload, without the prefix */
            memcpy(buf, v->input.data + 4, len);
            fuzz_message(buf, mutate(buf, len, sizeof buf));
        }
        if (i % 1000 == 0) fuzz_chunking();
    }
    printf("fuzz_test: %u mutated messages and %u mutated manifests were accepted (and round-tripped)\n",
           accepted_messages, accepted_manifests);
    CHECK(accepted_messages > 0, "no mutated message was accepted: the mutations never kept a valid frame");
    return check_report("fuzz_test");
}
