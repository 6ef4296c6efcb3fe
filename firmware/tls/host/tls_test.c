/* Host unit checks of the TLS layer (ASan/UBSan): the provisioning trust
 * block, endpoint hosts, the RNG seed source and wolfSSL's DRBG on top of it,
 * connection set-up from a real Ed25519 CA + device certificate, error texts
 * and the allocator's accounting. Handshakes run against a real gateway in
 * firmware/test/tls.int.test.ts. */
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/random.h>

#include "check.h"
#include "entropy.h"
#include "gateway_session.h"
#include "provisioning.h"
#include "serial.h"
#include "test_certs.h"
#include "tls_client.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* A valid area without certificate, and a trust block holding `bundle`. */
static void make_area(uint8_t *area, const uint8_t *bundle, uint16_t len)
{
    memset(area, 0, WB_PROV_AREA_BYTES);
    static const char endpoint[] = "gw.example:4423";
    put32(area, sizeof endpoint - 1);
    memcpy(area + 4, endpoint, sizeof endpoint - 1);
    uint8_t *id = area + WB_PROV_IDENTITY_OFFSET;
    memcpy(id, "WBID", 4);
    put16(id + 4, 1);
    memset(id + 0x08, 0x11, 32);
    memset(id + 0x28, 0x22, 32);
    put32(id + WB_PROV_IDENTITY_HEADER_BYTES, wb_crc32(id, WB_PROV_IDENTITY_HEADER_BYTES));
    if (bundle == NULL) return;
    uint8_t *t = area + WB_PROV_TRUST_OFFSET;
    memcpy(t, "WBCA", 4);
    put16(t + 4, 1);
    put16(t + 6, len);
    memcpy(t + 8, bundle, len);
    put32(t + 8 + len, wb_crc32(t, 8u + len));
}

static void refresh_crc(uint8_t *area)
{
    uint8_t *t = area + WB_PROV_TRUST_OFFSET;
    uint16_t len = (uint16_t)(t[6] | t[7] << 8);
    put32(t + 8 + len, wb_crc32(t, 8u + len));
}

static void test_trust_block(void)
{
    static uint8_t area[WB_PROV_AREA_BYTES];
    static uint8_t bundle[WB_PROV_MAX_CA_BYTES + 1];
    wb_provisioning p;

    make_area(area, NULL, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && p.ca == NULL, "no trust block: valid, no CA");

    size_t two = sizeof test_ca_der + sizeof test_device_der;
    memcpy(bundle, test_ca_der, sizeof test_ca_der);
    memcpy(bundle + sizeof test_ca_der, test_device_der, sizeof test_device_der);
    make_area(area, bundle, (uint16_t)two);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_OK && p.ca_count == 2 && p.ca_len == two &&
              p.ca == area + WB_PROV_TRUST_OFFSET + 8 && memcmp(p.ca, test_ca_der, sizeof test_ca_der) == 0,
          "bundle of two certificates");

    static const struct {
        size_t offset;
        uint8_t value;
        wb_prov_status want;
        const char *what;
    } corrupt[] = {
        {0, 'X', WB_PROV_BAD_TRUST_MAGIC, "bad magic"},
        {4, 2, WB_PROV_BAD_TRUST_VERSION, "version 2"},
        {9, 0xff, WB_PROV_BAD_TRUST_CHECKSUM, "a flipped bundle byte"},
    };
    for (size_t i = 0; i < sizeof corrupt / sizeof corrupt[0]; i++) {
        make_area(area, test_ca_der, sizeof test_ca_der);
        area[WB_PROV_TRUST_OFFSET + corrupt[i].offset] = corrupt[i].value;
        wb_prov_status s = wb_provisioning_read(area, &p);
        CHECK(s == corrupt[i].want, "%s: %s", corrupt[i].what, wb_prov_status_text(s));
    }

    make_area(area, test_ca_der, sizeof test_ca_der);
    put16(area + WB_PROV_TRUST_OFFSET + 6, 0);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CA_LENGTH, "empty bundle");
    put16(area + WB_PROV_TRUST_OFFSET + 6, WB_PROV_MAX_CA_BYTES + 1);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CA_LENGTH, "bundle beyond the area");

    memset(bundle, 0, sizeof bundle);
    memcpy(bundle, test_ca_der, sizeof test_ca_der);
    make_area(area, bundle, (uint16_t)(sizeof test_ca_der + 1)); /* one trailing byte */
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CA, "trailing byte after the last certificate");
    make_area(area, test_ca_der, (uint16_t)(sizeof test_ca_der - 1)); /* truncated */
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CA, "truncated certificate");
    make_area(area, test_ca_der, sizeof test_ca_der);
    area[WB_PROV_TRUST_OFFSET + 8] = 0x31; /* a SET, not a SEQUENCE */
    refresh_crc(area);
    CHECK(wb_provisioning_read(area, &p) == WB_PROV_BAD_CA, "not a SEQUENCE");
    CHECK(strstr(wb_prov_status_text(WB_PROV_BAD_TRUST_CHECKSUM), "trust block") != NULL, "status text");
}

/* A stand-in UART for the link: bytes "on the wire" that the driver takes
 * while the ring has room, as boards/'s drivers do. */
static uint8_t wire[3 * WB_LINK_RX_BYTES];
static size_t wire_len, wire_taken;
static unsigned resumes;

static void fake_rx_isr(void)
{
    while (wire_taken < wire_len) {
        if (!wb_port_isr_rx_room(&wb_link)) {
            wb_port_isr_rx_hold(&wb_link);
            return;
        }
        wb_port_isr_rx(&wb_link, wire[wire_taken++]);
    }
}

static void fake_resume(void)
{
    resumes++;
    wb_link.rx_held = false;
    fake_rx_isr();
}

static void fake_kick(void)
{
}

static void test_link_flow_control(void)
{
    wb_serial_init();
    wb_link.tx_kick = fake_kick;
    wb_link.rx_resume = fake_resume;
    CHECK(wb_link.flow_control && !wb_console.flow_control, "the link has flow control, the console drops");
    for (size_t i = 0; i < sizeof wire; i++) wire[i] = (uint8_t)(i * 7 + 3);
    wire_len = sizeof wire;
    fake_rx_isr();
    CHECK(wb_link.rx_held && wire_taken == WB_LINK_RX_BYTES, "a full ring leaves the rest in the UART");
    uint8_t got[sizeof wire];
    size_t n = 0;
    while (n < sizeof got) {
        size_t k = wb_port_read(&wb_link, got + n, 100); /* reads in small steps, as wolfSSL does */
        if (k == 0) break;
        n += k;
    }
    CHECK(n == sizeof wire && memcmp(got, wire, n) == 0, "every byte arrives once, in order (%u of %u)", (unsigned)n,
          (unsigned)sizeof wire);
    CHECK(resumes > 0 && !wb_link.rx_held, "reads resumed the held UART (%u times)", resumes);
    CHECK(wb_link.stats.rx_overruns == 0 && wb_link.stats.rx_holds > 0, "no byte dropped");
}

static void test_endpoint_host(void)
{
    static const struct {
        const char *endpoint;
        const char *host; /* NULL: refused */
    } cases[] = {
        {"gw-1.wasmbed.test:4423", "gw-1.wasmbed.test"},
        {"127.0.0.1:4423", "127.0.0.1"},
        {"[::1]:4423", "::1"},
        {"[fe80::1]:1", "fe80::1"},
        {":4423", NULL},
        {"[]:4423", NULL},
        {"[::1:4423", NULL},
        {"nohost", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        int r = wb_gw_endpoint_host(cases[i].endpoint, out, sizeof out);
        if (cases[i].host == NULL) {
            CHECK(r != 0, "%s refused", cases[i].endpoint);
        } else {
            CHECK(r == 0 && strcmp(out, cases[i].host) == 0, "%s -> %s", cases[i].endpoint, cases[i].host);
        }
    }
    char tiny[4];
    CHECK(wb_gw_endpoint_host("gw-1.wasmbed.test:4423", tiny, sizeof tiny) != 0, "host longer than the buffer");
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

static void test_entropy(void)
{
    uint8_t a[100], b[100];
    CHECK(wb_tls_generate_seed(a, sizeof a) == -1, "no seed before the pool is initialised");
    uint8_t seed[32];
    memset(seed, 0x5a, sizeof seed);
    wb_entropy_init(seed, 4);
    CHECK(wb_entropy_boot_count() >= 1, "boot counter counts");
    CHECK(wb_tls_generate_seed(a, sizeof a) == 0 && wb_tls_generate_seed(b, sizeof b) == 0, "seed requests succeed");
    CHECK(memcmp(a, b, sizeof a) != 0, "two requests differ (the pool ratchets)");
    CHECK(memcmp(a, a + 32, 32) != 0 && memcmp(a + 32, a + 64, 32) != 0, "blocks of one request differ");
    CHECK(!all_zero(a + 96, 4), "the tail of a request is filled");

    /* wolfSSL's Hash_DRBG instantiates from it and runs its health tests. */
    WC_RNG rng;
    uint8_t r1[64], r2[64];
    CHECK(wc_InitRng(&rng) == 0, "Hash_DRBG instantiates on wb_tls_generate_seed");
    CHECK(wc_RNG_GenerateBlock(&rng, r1, sizeof r1) == 0 && wc_RNG_GenerateBlock(&rng, r2, sizeof r2) == 0,
          "DRBG generates");
    CHECK(memcmp(r1, r2, sizeof r1) != 0 && !all_zero(r1, sizeof r1), "DRBG output differs between calls");
    wc_FreeRng(&rng);
}

static int no_io(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return 0;
}

static int sent;

static int count_send(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    /* A TLS 1.3 ClientHello: handshake record, legacy version 3.1, type 1. */
    if (sent == 0 && len > 9 && (buf[0] != 0x16 || buf[1] != 0x03 || buf[5] != 0x01)) return -1;
    sent += (int)len;
    return (int)len;
}

static void test_connection_setup(void)
{
    wb_tls_identity id = {test_ca_der, sizeof test_ca_der, test_device_der, sizeof test_device_der, test_device_seed,
                          "gw.example"};
    wb_tls_io io = {no_io, count_send, NULL};
    size_t before = wb_tls_heap_in_use();

    wb_tls *t = wb_tls_open(&id, &io);
    CHECK(t != NULL, "set-up from a CA, a device certificate and its key seed");
    if (t != NULL) {
        CHECK(wb_tls_handshake(t) == WB_TLS_AGAIN, "handshake waits for the gateway");
        CHECK(sent > 100, "a ClientHello went out (%d bytes)", sent);
        wb_tls_close(t);
    }
    CHECK(wb_tls_heap_in_use() == before, "everything freed (%u bytes left)", (unsigned)(wb_tls_heap_in_use() - before));
    CHECK(wb_tls_heap_peak() > 1000, "the allocator counts (peak %u)", (unsigned)wb_tls_heap_peak());

    uint8_t broken_ca[sizeof test_ca_der];
    memcpy(broken_ca, test_ca_der, sizeof broken_ca);
    broken_ca[1] ^= 0x01; /* the outer length no longer fits */
    id.ca = broken_ca;
    CHECK(wb_tls_open(&id, &io) == NULL, "a broken CA bundle is refused at set-up");
    id.ca = test_ca_der;
    uint8_t other_seed[32];
    memset(other_seed, 7, sizeof other_seed);
    id.key_seed = other_seed;
    id.ca_len = sizeof test_ca_der;
    /* wolfSSL checks key against certificate only when signing: set-up succeeds. */
    t = wb_tls_open(&id, &io);
    wb_tls_close(t);
    CHECK(wb_tls_heap_in_use() == before, "nothing leaks on failed set-ups");
}

static void test_error_texts(void)
{
    CHECK(strstr(wb_tls_error_text(ASN_NO_SIGNER_E), "platform CA") != NULL, "unknown issuer named as such");
    CHECK(strstr(wb_tls_error_text(-322), "endpoint host") != NULL, "name mismatch");
    CHECK(strstr(wb_tls_error_text(-12345), "wolfSSL error") != NULL, "unknown code falls back");
}

int main(void)
{
    test_trust_block();
    test_link_flow_control();
    test_endpoint_host();
    test_entropy();
    if (wb_tls_global_init() != 0) {
        CHECK(0, "wolfSSL_Init");
        return check_report("tls_test");
    }
    test_connection_setup();
    test_error_texts();
    return check_report("tls_test");
}
