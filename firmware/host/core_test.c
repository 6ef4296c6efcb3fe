/* Unit tests of the portable core beyond the shared vectors: CBOR profile edge
 * cases, encoder validation, framing state, the provisioning area, the endpoint
 * syntax and the interrupt-side serial rings. */
#include <stdlib.h>
#include <string.h>

#include "board_stub.h"
#include "check.h"
#include "crypto/ed25519.h"
#include "proto/cbor.h"
#include "proto/frame.h"
#include "proto/limits.h"
#include "proto/messages.h"
#include "provisioning.h"
#include "ring.h"
#include "serial.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;
        if (sscanf(hex, "%2x", &v) != 1) abort();
        out[n++] = (uint8_t)v;
    }
    return n;
}

static wb_status check_hex(const char *hex, unsigned flags)
{
    uint8_t buf[256];
    size_t n = unhex(hex, buf);
    return wb_cbor_check(buf, n, flags, NULL);
}

static void test_cbor_profile(void)
{
    static const struct {
        const char *hex;
        unsigned flags;
        wb_status want;
        const char *why;
    } cases[] = {
        {"a1616101", 0, WB_OK, "small map"},
        {"a161610101", 0, WB_ERR_INVALID_CBOR, "trailing byte"},
        {"a1616118", 0, WB_ERR_INVALID_CBOR, "truncated argument"},
        {"f7", 0, WB_ERR_INVALID_CBOR, "undefined"},
        {"f820", 0, WB_ERR_INVALID_CBOR, "one-byte simple value"},
        {"e0", 0, WB_ERR_INVALID_CBOR, "simple value 0"},
        {"ff", 0, WB_ERR_INVALID_CBOR, "lone break"},
        {"1c", 0, WB_ERR_INVALID_CBOR, "reserved additional information"},
        {"c000", 0, WB_ERR_INVALID_CBOR, "tag 0"},
        {"5f4100ff", 0, WB_ERR_INVALID_CBOR, "indefinite byte string"},
        {"f93c00", 0, WB_OK, "half float outside deterministic mode"},
        {"f93c00", WB_CBOR_DETERMINISTIC, WB_ERR_INVALID_CBOR, "float in deterministic mode"},
        {"1817", 0, WB_OK, "non-shortest integer is well-formed"},
        {"1817", WB_CBOR_DETERMINISTIC, WB_ERR_INVALID_CBOR, "non-shortest integer in deterministic mode"},
        {"a2616201616101", WB_CBOR_DETERMINISTIC, WB_ERR_INVALID_CBOR, "unsorted keys"},
        {"a2616101616101", 0, WB_ERR_INVALID_CBOR, "duplicate keys"},
        {"a2616101616102", WB_CBOR_DETERMINISTIC, WB_ERR_INVALID_CBOR, "duplicate keys, deterministic"},
        {"a1016101", 0, WB_ERR_INVALID_CBOR, "integer key"},
        {"62c080", 0, WB_ERR_INVALID_CBOR, "overlong UTF-8"},
        {"63eda080", 0, WB_ERR_INVALID_CBOR, "UTF-16 surrogate in UTF-8"},
        {"64f4908080", 0, WB_ERR_INVALID_CBOR, "beyond U+10FFFF"},
        {"64f09f9880", 0, WB_OK, "4-byte UTF-8"},
        {"9a00010000", 0, WB_ERR_INVALID_CBOR, "array count beyond the bytes left"},
        {"ba00008000", 0, WB_ERR_INVALID_CBOR, "map count beyond the bytes left"},
        {"5a00010000", 0, WB_ERR_INVALID_CBOR, "string length beyond the bytes left"},
        {"8181818181818181818181818181818100", 0, WB_OK, "16 nested arrays"},
        {"818181818181818181818181818181818100", 0, WB_ERR_INVALID_CBOR, "17 nested arrays"},
        {"3bffffffffffffffff", 0, WB_OK, "smallest negative 64-bit integer"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        wb_status s = check_hex(cases[i].hex, cases[i].flags);
        CHECK(s == cases[i].want, "cbor %s (%s): got %s", cases[i].why, cases[i].hex, wb_status_code(s));
    }
}

static wb_slice text(const char *s)
{
    return (wb_slice){(const uint8_t *)s, (uint32_t)strlen(s)};
}

static const uint8_t hash[32] = {1, 2, 3};

static void heartbeat(wb_message *m, wb_app_summary *app)
{
    memset(m, 0, sizeof *m);
    memset(app, 0, sizeof *app);
    m->type = WB_MSG_HEARTBEAT;
    m->msg_id = 7;
    app->app_id = text("blinky");
    app->revision = 3;
    app->sha256 = (wb_slice){hash, 32};
    app->state = WB_APP_RUNNING;
    m->body.heartbeat.seq = 1;
    m->body.heartbeat.uptime_ms = WB_MAX_U53;
    m->body.heartbeat.free_memory_bytes = 1000;
    m->body.heartbeat.apps = (wb_list){app, 1};
}

static wb_status encode(const wb_message *m, wb_path *path)
{
    static uint8_t buf[1024];
    size_t len;
    return wb_message_encode(m, buf, sizeof buf, &len, path);
}

static void test_encoder_validation(void)
{
    wb_message m;
    wb_app_summary app;
    wb_path path;
    uint8_t buf[512];
    size_t len;

    heartbeat(&m, &app);
    CHECK(wb_message_encode_frame(&m, buf, sizeof buf, &len, &path) == WB_OK, "valid Heartbeat encodes");
    wb_message back;
    wb_decode_info info;
    uint8_t arena_mem[256];
    wb_arena arena;
    wb_arena_init(&arena, arena_mem, sizeof arena_mem);
    wb_status s = wb_message_decode_from(WB_SENDER_DEVICE, buf + 4, len - 4, &back, &arena, &info);
    CHECK(s == WB_OK && back.body.heartbeat.uptime_ms == WB_MAX_U53 && back.body.heartbeat.apps.count == 1,
          "Heartbeat round trip: %s", wb_status_code(s));
    CHECK(wb_message_decode_from(WB_SENDER_GATEWAY, buf + 4, len - 4, &back, &arena, &info) ==
              WB_ERR_UNEXPECTED_MESSAGE,
          "a Heartbeat claimed to come from the gateway is unexpected_message");
    wb_arena_init(&arena, arena_mem, 16);
    CHECK(wb_message_decode(buf + 4, len - 4, &back, &arena, &info) == WB_ERR_NO_SPACE,
          "an arena too small for the app list is no_space");
    CHECK(wb_message_decode(buf + 4, len - 4, &back, NULL, &info) == WB_ERR_NO_SPACE, "no arena at all");

    CHECK(wb_message_encode(&m, buf, 10, &len, &path) == WB_ERR_NO_SPACE && len > 10,
          "a short buffer is no_space and says how much is needed (%zu)", len);

    heartbeat(&m, &app);
    app.app_id = text("bad id");
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.apps[0].appId") == 0,
          "invalid appId: %s", path.text);
    heartbeat(&m, &app);
    m.body.heartbeat.uptime_ms = WB_MAX_U53 + 1;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.uptimeMs") == 0,
          "uptimeMs beyond 2^53-1: %s", path.text);
    heartbeat(&m, &app);
    app.sha256.len = 31;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.apps[0].sha256") == 0,
          "short hash: %s", path.text);
    heartbeat(&m, &app);
    app.state = 9;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.apps[0].state") == 0,
          "state out of the enumeration: %s", path.text);
    heartbeat(&m, &app);
    m.msg_id = 0;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "msgId") == 0, "msgId 0");
    m.type = 17;
    CHECK(encode(&m, &path) == WB_ERR_UNKNOWN_TYPE, "type 17 is not encodable");

    memset(&m, 0, sizeof m);
    m.type = WB_MSG_DEPLOY_RESULT;
    m.msg_id = 1;
    m.body.deploy_result.ok = true;
    m.body.deploy_result.app_id = text("blinky");
    m.body.deploy_result.revision = 1;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.sha256") == 0,
          "DeployResult ok without sha256: %s", path.text);
    m.body.deploy_result.has_sha256 = true;
    m.body.deploy_result.sha256 = (wb_slice){hash, 32};
    CHECK(encode(&m, &path) == WB_OK, "DeployResult ok with sha256");
    m.body.deploy_result.ok = false;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.error") == 0,
          "DeployResult not ok without error: %s", path.text);

    static const wb_slice features[] = {{(const uint8_t *)"redirect", 8}, {(const uint8_t *)"redirect", 8}};
    memset(&m, 0, sizeof m);
    m.type = WB_MSG_HELLO;
    m.msg_id = 1;
    wb_hello *h = &m.body.hello;
    h->firmware = h->board = h->arch = text("x");
    h->max_frame_bytes = 4096;
    h->runtime.name = h->runtime.version = text("none");
    h->has_features = true;
    h->features = (wb_list){features, 2};
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.features") == 0,
          "repeated feature: %s", path.text);
    h->features.count = 1;
    CHECK(encode(&m, &path) == WB_OK, "Hello with one feature");
    h->max_frame_bytes = 4095;
    CHECK(encode(&m, &path) == WB_ERR_INVALID_MESSAGE && strcmp(path.text, "body.maxFrameBytes") == 0,
          "maxFrameBytes below 4096: %s", path.text);
}

static void test_framing(void)
{
    uint8_t buf[8];
    wb_frame_rx rx;
    const uint8_t *frame;
    uint32_t frame_len;
    size_t used;
    static const uint8_t two[] = {0, 0, 0, 2, 0xf5, 0xf4, 0, 0, 0, 9};
    wb_frame_rx_init(&rx, buf, sizeof buf);
    CHECK(wb_frame_rx_push(&rx, two, sizeof two, &used, &frame, &frame_len) == WB_OK && frame && frame_len == 2 &&
              used == 6,
          "a frame ends the push; the rest is left for the next call");
    CHECK(wb_frame_rx_push(&rx, two + used, sizeof two - used, &used, &frame, &frame_len) == WB_ERR_FRAME_TOO_LARGE,
          "a prefix over the limit fails at once");
    CHECK(wb_frame_rx_push(&rx, two, 1, &used, &frame, &frame_len) == WB_ERR_FRAME_TOO_LARGE && used == 0,
          "after a framing error every call fails the same");
    CHECK(wb_frame_rx_end(&rx) == WB_ERR_FRAME_TOO_LARGE, "and so does the end of the stream");
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static const uint8_t key_seed[32] = {42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42,
                                     42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42};
static const uint8_t rng_seed[32] = {7, 7, 7};

/* The layout of provisioning.h, written independently of the reader. */
static void make_area(uint8_t *area, const char *endpoint, const uint8_t *cert, uint16_t cert_len)
{
    memset(area, 0, WB_PROV_AREA_BYTES);
    put_le32(area, (uint32_t)strlen(endpoint));
    memcpy(area + 4, endpoint, strlen(endpoint));
    uint8_t *b = area + 0x200;
    memcpy(b, "WBID", 4);
    put_le16(b + 4, 1);
    memcpy(b + 8, key_seed, 32);
    memcpy(b + 0x28, rng_seed, 32);
    put_le16(b + 0x48, cert_len);
    if (cert_len) memcpy(b + 0x4c, cert, cert_len);
    put_le32(b + 0x4c + cert_len, wb_crc32(b, 0x4cu + cert_len));
}

static void reseal(uint8_t *area)
{
    uint8_t *b = area + 0x200;
    uint16_t cert_len = (uint16_t)(b[0x48] | (b[0x49] << 8));
    put_le32(b + 0x4c + cert_len, wb_crc32(b, 0x4cu + cert_len));
}

/* A DER SEQUENCE wrapping an Ed25519 SubjectPublicKeyInfo: the part the firmware reads. */
static uint16_t fake_cert(uint8_t *out, const uint8_t key[32])
{
    static const uint8_t spki[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    out[0] = 0x30;
    out[1] = (uint8_t)(sizeof spki + 32);
    memcpy(out + 2, spki, sizeof spki);
    memcpy(out + 2 + sizeof spki, key, 32);
    return (uint16_t)(2 + sizeof spki + 32);
}

static void test_provisioning(void)
{
    static uint8_t area[WB_PROV_AREA_BYTES];
    wb_provisioning p;
    uint8_t public_key[32];
    wb_ed25519_public_key(key_seed, public_key);

    make_area(area, "gw.example.net:4423", NULL, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && strcmp(p.endpoint, "gw.example.net:4423") == 0 &&
              memcmp(p.public_key, public_key, 32) == 0 && p.cert == NULL,
          "valid area without a certificate");

    uint8_t cert[64];
    uint16_t cert_len = fake_cert(cert, public_key);
    make_area(area, "[::1]:4423", cert, cert_len);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && p.cert_len == cert_len && p.cert == area + 0x24c,
          "valid area with a certificate of the provisioned key");

    memset(area, 0, sizeof area);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_NO_ENDPOINT, "blank RAM");
    memset(area, 0xff, sizeof area);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_NO_ENDPOINT, "erased flash");
    make_area(area, "gw:1", NULL, 0);
    put_le32(area, 300);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_ENDPOINT_LENGTH, "endpoint length 300");
    make_area(area, "gw", NULL, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_ENDPOINT_LENGTH, "endpoint of 2 bytes");
    make_area(area, "gateway", NULL, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_ENDPOINT, "endpoint without a port");
    make_area(area, "gw:65536", NULL, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_ENDPOINT, "port 65536");

    make_area(area, "gw:1", NULL, 0);
    memset(area + 0x200, 0, 4);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_NO_IDENTITY, "endpoint only (the seeds' layout)");
    make_area(area, "gw:1", NULL, 0);
    memcpy(area + 0x200, "WBIX", 4);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_MAGIC, "bad magic");
    make_area(area, "gw:1", NULL, 0);
    put_le16(area + 0x204, 2);
    reseal(area);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_VERSION, "version 2");
    make_area(area, "gw:1", NULL, 0);
    put_le16(area + 0x248, 3000);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CERT_LENGTH, "certificate of 3000 bytes");
    make_area(area, "gw:1", NULL, 0);
    area[0x210] ^= 1;
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CHECKSUM, "a key bit flipped");
    make_area(area, "gw:1", NULL, 0);
    memset(area + 0x228, 0, 32);
    reseal(area);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_ZERO_SEED, "all-zero RNG seed");
    make_area(area, "gw:1", cert, cert_len);
    area[0x24c + 1]++;
    reseal(area);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CERT, "DER length disagrees with the certificate length");
    uint8_t other_key[32] = {9};
    cert_len = fake_cert(cert, other_key);
    make_area(area, "gw:1", cert, cert_len);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_CERT_KEY_MISMATCH, "certificate of another key");
    CHECK(wb_crc32((const uint8_t *)"123456789", 9) == 0xcbf43926u, "CRC-32 check value");
}

/* The optional publisher block at +0x140 (trusted app publishers). */
static void put_publishers(uint8_t *area, uint16_t count)
{
    uint8_t *b = area + 0x140;
    memcpy(b, "WBPK", 4);
    put_le16(b + 4, 1);
    put_le16(b + 6, count);
    for (uint16_t i = 0; i < count; i++) memset(b + 8 + 32u * i, 0x10 + i, 32);
    put_le32(b + 8 + 32u * count, wb_crc32(b, 8u + 32u * count));
}

static void test_publisher_block(void)
{
    static uint8_t area[WB_PROV_AREA_BYTES];
    wb_provisioning p;
    make_area(area, "gw.example.net:4423", NULL, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && p.publisher_count == 0, "no publisher block: any publisher");
    put_publishers(area, 2);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && p.publisher_count == 2 && p.publishers[0][0] == 0x10 &&
              p.publishers[1][31] == 0x11,
          "two trusted publishers");
    /* The longest endpoint (259 bytes) ends before the block. */
    char endpoint[260];
    memset(endpoint, 'a', 253);
    memcpy(endpoint + 253, ":65535", 7);
    make_area(area, endpoint, NULL, 0);
    put_publishers(area, 4);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && p.publisher_count == 4 && strlen(p.endpoint) == 259,
          "the longest endpoint next to four publishers");
    make_area(area, "gw:1", NULL, 0);
    put_publishers(area, 1);
    memcpy(area + 0x140, "WBPX", 4);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_PUBLISHER_MAGIC, "publisher block with a bad magic");
    put_publishers(area, 1);
    put_le16(area + 0x144, 2);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_PUBLISHER_VERSION, "publisher block version 2");
    put_publishers(area, 5);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_PUBLISHER_COUNT, "five publishers");
    put_publishers(area, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_PUBLISHER_COUNT, "a block without keys");
    put_publishers(area, 1);
    area[0x148] ^= 1;
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_PUBLISHER_CHECKSUM, "a publisher key bit flipped");
}

static void test_endpoint_syntax(void)
{
    static const char *const valid[] = {"gw-eu-2.example.net:4423", "10.0.0.7:1", "[2001:db8::7]:65535", "localhost:4423"};
    static const char *const invalid[] = {"gw-2:0", "gw-2:04423", "gw-2:99999", "::1:4423", "gw 2:4423", ":4423",
                                          "gw:", "[1]:1", "gw_2:1"};
    for (size_t i = 0; i < COUNT(valid); i++) {
        CHECK(wb_endpoint_valid((const uint8_t *)valid[i], strlen(valid[i])), "endpoint %s is valid", valid[i]);
    }
    for (size_t i = 0; i < COUNT(invalid); i++) {
        CHECK(!wb_endpoint_valid((const uint8_t *)invalid[i], strlen(invalid[i])), "endpoint %s is invalid",
              invalid[i]);
    }
    char long_host[300];
    memset(long_host, 'a', 254);
    strcpy(long_host + 254, ":4423");
    CHECK(!wb_endpoint_valid((const uint8_t *)long_host, strlen(long_host)), "254-character host");
    strcpy(long_host + 253, ":4423");
    CHECK(wb_endpoint_valid((const uint8_t *)long_host, strlen(long_host)), "253-character host");
}

static void test_serial(void)
{
    wb_ring r;
    uint8_t mem[4];
    wb_ring_init(&r, mem, sizeof mem);
    bool ok = true;
    for (int round = 0; round < 10; round++) { /* wraps the indices around the buffer many times */
        for (uint8_t i = 0; i < 4; i++) ok &= wb_ring_put(&r, (uint8_t)(round + i));
        ok &= !wb_ring_put(&r, 0xee);
        for (uint8_t i = 0; i < 4; i++) {
            uint8_t b;
            ok &= wb_ring_get(&r, &b) && b == (uint8_t)(round + i);
        }
        uint8_t b;
        ok &= !wb_ring_get(&r, &b);
    }
    CHECK(ok, "ring: FIFO order, full and empty");

    wb_serial_init();
    for (int i = 0; i < 300; i++) wb_serial_isr_rx((uint8_t)i);
    uint8_t buf[512];
    size_t n = wb_serial_read(buf, sizeof buf);
    CHECK(n == WB_SERIAL_RX_BYTES && buf[0] == 0 && buf[n - 1] == (uint8_t)(WB_SERIAL_RX_BYTES - 1),
          "RX ring keeps the first %u bytes", WB_SERIAL_RX_BYTES);
    CHECK(wb_serial_stats_get()->rx_overruns == 300 - WB_SERIAL_RX_BYTES, "overruns are counted");

    stub_tx_len = 0;
    static uint8_t big[3000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 13);
    wb_serial_write(big, sizeof big); /* more than the TX ring: needs the "interrupt" to drain it */
    CHECK(stub_tx_len == sizeof big && memcmp(stub_tx_capture, big, sizeof big) == 0, "TX delivers everything in order");
}

int main(void)
{
    test_cbor_profile();
    test_encoder_validation();
    test_framing();
    test_provisioning();
    test_publisher_block();
    test_endpoint_syntax();
    test_serial();
    return check_report("core_test");
}
