/* Runs the shared protocol vectors (libs/protocol/vectors) through the C codec:
 * framing split every way, every message and manifest decoded to the expected
 * JSON form or rejected with the expected code (and path), valid ones
 * re-encoded byte for byte. Also checks the crypto against Node's OpenSSL. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "json_form.h"
#include "proto/frame.h"
#include "proto/limits.h"
#include "proto/manifest.h"
#include "proto/messages.h"
#include "vector_data.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t arena_mem[64 * 1024];

static bool bytes_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    return a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

/* Feeds `input` in pieces of `step` bytes (0 = all at once); collects frames. */
static const char *run_frames(const frame_vector *v, size_t step, size_t *frames_seen, bool *frames_ok)
{
    uint8_t *buf = malloc(v->max_frame_bytes);
    wb_frame_rx rx;
    wb_frame_rx_init(&rx, buf, v->max_frame_bytes);
    *frames_seen = 0;
    *frames_ok = true;
    size_t pos = 0;
    wb_status s = WB_OK;
    while (pos < v->input.len && s == WB_OK) {
        size_t n = step == 0 ? v->input.len - pos : step;
        if (n > v->input.len - pos) n = v->input.len - pos;
        size_t off = 0;
        while (off < n) {
            size_t used;
            const uint8_t *frame;
            uint32_t frame_len;
            s = wb_frame_rx_push(&rx, v->input.data + pos + off, n - off, &used, &frame, &frame_len);
            off += used;
            if (s != WB_OK) break;
            if (frame) {
                size_t k = (*frames_seen)++;
                if (k >= v->frame_count || !bytes_equal(frame, frame_len, v->frames[k].data, v->frames[k].len)) {
                    *frames_ok = false;
                }
            }
        }
        pos += n;
    }
    if (s == WB_OK) s = wb_frame_rx_end(&rx);
    free(buf);
    return s == WB_OK ? NULL : wb_status_code(s);
}

static void test_frames(void)
{
    static const size_t steps[] = {1, 2, 3, 5, 0};
    for (size_t i = 0; i < COUNT(frame_vectors); i++) {
        const frame_vector *v = &frame_vectors[i];
        for (size_t k = 0; k < COUNT(steps); k++) {
            size_t seen;
            bool ok;
            const char *err = run_frames(v, steps[k], &seen, &ok);
            CHECK(ok && seen == v->frame_count, "frames %s (step %zu): %zu frames, want %zu", v->name, steps[k], seen,
                  v->frame_count);
            bool err_ok = (err == NULL && v->error == NULL) || (err && v->error && strcmp(err, v->error) == 0);
            CHECK(err_ok, "frames %s (step %zu): error %s, want %s", v->name, steps[k], err ? err : "none",
                  v->error ? v->error : "none");
        }
    }
}

static bool json_equals(const json_buf *j, vec_bytes expected)
{
    return bytes_equal((const uint8_t *)j->buf, j->len, expected.data, expected.len);
}

/* Payload of a one-frame vector, through the frame receiver at the gateway limit. */
static wb_status payload_of(const message_vector *v, uint8_t *buf, const uint8_t **payload, uint32_t *len)
{
    wb_frame_rx rx;
    wb_frame_rx_init(&rx, buf, WB_GATEWAY_MAX_FRAME_BYTES);
    size_t used;
    wb_status s = wb_frame_rx_push(&rx, v->input.data, v->input.len, &used, payload, len);
    if (s == WB_OK && (*payload == NULL || used != v->input.len)) s = WB_ERR_MALFORMED_FRAME;
    return s;
}

static unsigned identical_reencodings;

static void test_valid_message(const message_vector *v, const uint8_t *payload, uint32_t len, const wb_message *m,
                               const wb_decode_info *info)
{
    json_buf j = {0};
    json_message(&j, m);
    CHECK(json_equals(&j, v->decoded_json), "message %s: decoded\n  got  %s\n  want %.*s", v->name, j.buf,
          (int)v->decoded_json.len, (const char *)v->decoded_json.data);

    uint8_t out[WB_GATEWAY_MAX_FRAME_BYTES + 4];
    size_t out_len = 0;
    wb_path path;
    wb_status s = wb_message_encode_frame(m, out, sizeof out, &out_len, &path);
    CHECK(s == WB_OK, "message %s: re-encode failed: %s at %s", v->name, wb_status_code(s), path.text);
    if (s != WB_OK) {
        json_free(&j);
        return;
    }
    bool deterministic = wb_cbor_check(payload, len, WB_CBOR_DETERMINISTIC, NULL) == WB_OK;
    if (deterministic && info->unknown_keys == 0) {
        /* The reference encoder is deterministic, and so is ours: same bytes. */
        CHECK(bytes_equal(out, out_len, v->input.data, v->input.len), "message %s: re-encoding differs", v->name);
        identical_reencodings++;
    } else {
        /* Unknown keys are dropped and non-canonical input is canonicalized: same value. */
        wb_message again;
        wb_decode_info info2;
        wb_arena arena;
        wb_arena_init(&arena, arena_mem, sizeof arena_mem);
        s = wb_message_decode(out + 4, out_len - 4, &again, &arena, &info2);
        json_buf j2 = {0};
        if (s == WB_OK) json_message(&j2, &again);
        CHECK(s == WB_OK && json_equals(&j2, v->decoded_json), "message %s: canonical re-encoding decodes differently",
              v->name);
        CHECK(wb_cbor_check(out + 4, out_len - 4, WB_CBOR_DETERMINISTIC, NULL) == WB_OK,
              "message %s: re-encoding is not deterministic", v->name);
        json_free(&j2);
    }
    json_free(&j);
}

static void test_messages(void)
{
    static uint8_t frame_buf[WB_GATEWAY_MAX_FRAME_BYTES];
    for (size_t i = 0; i < COUNT(message_vectors); i++) {
        const message_vector *v = &message_vectors[i];
        const uint8_t *payload;
        uint32_t len;
        wb_status s = payload_of(v, frame_buf, &payload, &len);
        CHECK(s == WB_OK, "message %s: framing failed: %s", v->name, wb_status_code(s));
        if (s != WB_OK) continue;
        wb_message m;
        wb_decode_info info;
        wb_arena arena;
        wb_arena_init(&arena, arena_mem, sizeof arena_mem);
        s = wb_message_decode(payload, len, &m, &arena, &info);
        if (v->error) {
            CHECK(s != WB_OK && strcmp(wb_status_code(s), v->error) == 0, "message %s: got %s, want %s", v->name,
                  wb_status_code(s), v->error);
            if (v->path) {
                CHECK(strcmp(info.path.text, v->path) == 0, "message %s: path %s, want %s", v->name, info.path.text,
                      v->path);
            }
            continue;
        }
        CHECK(s == WB_OK, "message %s: decode failed: %s at %s", v->name, wb_status_code(s), info.path.text);
        if (s == WB_OK) test_valid_message(v, payload, len, &m, &info);
    }
    CHECK(identical_reencodings >= COUNT(message_vectors) / 3, "only %u byte-identical re-encodings",
          identical_reencodings);
}

static void test_manifests(void)
{
    for (size_t i = 0; i < COUNT(manifest_vectors); i++) {
        const manifest_vector *v = &manifest_vectors[i];
        wb_status s = WB_OK;
        if (v->signature.len > 0) {
            s = wb_manifest_verify(v->input.data, v->input.len, v->signature.data, v->public_key.data);
        }
        wb_manifest m;
        wb_path path;
        wb_arena arena;
        wb_arena_init(&arena, arena_mem, sizeof arena_mem);
        if (s == WB_OK) s = wb_manifest_decode(v->input.data, v->input.len, &m, &arena, &path);
        if (v->error) {
            CHECK(s != WB_OK && strcmp(wb_status_code(s), v->error) == 0, "manifest %s: got %s, want %s", v->name,
                  wb_status_code(s), v->error);
            continue;
        }
        CHECK(s == WB_OK, "manifest %s: failed: %s at %s", v->name, wb_status_code(s), path.text);
        if (s != WB_OK) continue;
        json_buf j = {0};
        json_node(&j, &wb_manifest_node, &m);
        CHECK(json_equals(&j, v->decoded_json), "manifest %s: decoded\n  got  %s\n  want %.*s", v->name, j.buf,
              (int)v->decoded_json.len, (const char *)v->decoded_json.data);
        json_free(&j);
        uint8_t out[WB_MAX_MANIFEST_BYTES];
        size_t out_len;
        s = wb_manifest_encode(&m, out, sizeof out, &out_len, &path);
        CHECK(s == WB_OK && bytes_equal(out, out_len, v->input.data, v->input.len),
              "manifest %s: re-encoding differs (%s)", v->name, wb_status_code(s));
        CHECK(m.size_bytes == sample_module.len, "manifest %s: sizeBytes %u", v->name, (unsigned)m.size_bytes);
        CHECK(bytes_equal(m.sha256.ptr, m.sha256.len, sample_module_sha256.data, sample_module_sha256.len),
              "manifest %s: sha256 is not the sample module's", v->name);
    }
}

static void test_crypto(void)
{
    for (size_t i = 0; i < COUNT(hash_vectors); i++) {
        const hash_vector *v = &hash_vectors[i];
        uint8_t d256[32], d512[64];
        wb_sha256(v->data.data, v->data.len, d256);
        CHECK(memcmp(d256, v->sha256.data, 32) == 0, "sha256 of %zu bytes", v->data.len);
        /* Incremental, in uneven pieces, must agree with one shot. */
        wb_sha512_ctx ctx;
        wb_sha512_init(&ctx);
        for (size_t pos = 0; pos < v->data.len;) {
            size_t n = (pos % 13) + 1;
            if (n > v->data.len - pos) n = v->data.len - pos;
            wb_sha512_update(&ctx, v->data.data + pos, n);
            pos += n;
        }
        wb_sha512_final(&ctx, d512);
        CHECK(memcmp(d512, v->sha512.data, 64) == 0, "sha512 of %zu bytes", v->data.len);
    }
    uint8_t d[32];
    wb_sha256(sample_module.data, sample_module.len, d);
    CHECK(memcmp(d, sample_module_sha256.data, 32) == 0, "sha256 of the sample module");

    for (size_t i = 0; i < COUNT(signature_vectors); i++) {
        const signature_vector *v = &signature_vectors[i];
        uint8_t pub[32];
        wb_ed25519_public_key(v->seed.data, pub);
        CHECK(memcmp(pub, v->public_key.data, 32) == 0, "ed25519 public key %zu", i);
        CHECK(wb_ed25519_verify(v->signature.data, v->message.data, v->message.len, v->public_key.data),
              "ed25519 signature %zu verifies", i);
        uint8_t sig[64];
        memcpy(sig, v->signature.data, 64);
        for (int bit = 0; bit < 512; bit += 37) {
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            CHECK(!wb_ed25519_verify(sig, v->message.data, v->message.len, v->public_key.data),
                  "ed25519 signature %zu with bit %d flipped is rejected", i, bit);
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        if (v->message.len > 0) {
            uint8_t *msg = malloc(v->message.len);
            memcpy(msg, v->message.data, v->message.len);
            msg[v->message.len / 2] ^= 1;
            CHECK(!wb_ed25519_verify(v->signature.data, msg, v->message.len, v->public_key.data),
                  "ed25519 signature %zu over an altered message is rejected", i);
            free(msg);
        }
    }
    uint8_t pub[32];
    wb_ed25519_public_key(publisher_seed.data, pub);
    CHECK(memcmp(pub, publisher_key.data, 32) == 0, "publisher public key from its seed");
}

/* Record fields must be in deterministic key order, or encoding would not be. */
static void check_table_order(const wb_node *node, const char *what)
{
    if (node->kind == WB_NODE_ARRAY || node->kind == WB_NODE_TEXT_MAP) {
        check_table_order(node->item, what);
        return;
    }
    if (node->kind != WB_NODE_RECORD) return;
    CHECK(node->count <= 32, "%s: more than 32 fields", what);
    for (unsigned i = 0; i < node->count; i++) {
        const wb_field *f = &node->fields[i];
        CHECK(f->name_len == strlen(f->name), "%s.%s: name length", what, f->name);
        if (i > 0) {
            const wb_field *p = &node->fields[i - 1];
            bool ordered = p->name_len < f->name_len ||
                           (p->name_len == f->name_len && memcmp(p->name, f->name, f->name_len) < 0);
            CHECK(ordered, "%s: field %s must come before %s", what, f->name, p->name);
        }
        check_table_order(f->node, what);
    }
}

static void test_tables(void)
{
    for (uint32_t t = 1; t <= WB_MSG_TYPE_MAX; t++) check_table_order(wb_msg_kind_of(t)->body, wb_msg_kind_of(t)->name);
    check_table_order(&wb_manifest_node, "manifest");
    CHECK(wb_msg_kind_of(0) == NULL && wb_msg_kind_of(WB_MSG_TYPE_MAX + 1) == NULL, "catalog bounds");
}

int main(void)
{
    test_tables();
    test_frames();
    test_messages();
    test_manifests();
    test_crypto();
    printf("vectors: %zu frame, %zu message (%u re-encoded byte for byte), %zu manifest; %zu hash, %zu signature\n",
           COUNT(frame_vectors), COUNT(message_vectors), identical_reencodings, COUNT(manifest_vectors),
           COUNT(hash_vectors), COUNT(signature_vectors));
    return check_report("vectors_test");
}
