#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "device.h"
#include "entropy.h"
#include "gateway_link.h"
#include "gateway_session.h"
#include "serial.h"

#define JITTER_SAMPLES 32
#define RETRY_FIRST_MS 2000u
#define RETRY_MAX_MS 60000u
#define STACK_PAINT 0xa5u
#define STACK_MARGIN 256u /* below the current stack pointer: left alone */

static wb_gw_session session;
static wb_tls_identity identity;
static char host[WB_MAX_ENDPOINT_BYTES + 1];
static uint8_t hello[512];
static size_t hello_len;
static int enabled;
static uint64_t retry_at;
static uint32_t backoff_ms = RETRY_FIRST_MS;
static int stack_reported;

static int link_recv(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    return (int)wb_port_read(&wb_link, buf, len);
}

static int link_send(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    wb_port_write(&wb_link, buf, len);
    return (int)len;
}

static const wb_tls_io link_io = {link_recv, link_send, NULL};

/* Fills the unused main stack with a pattern, to find its high-water mark
 * after the handshake (there is no stack guard yet: see README). */
static void paint_stack(void)
{
    uintptr_t limit = (uintptr_t)__builtin_frame_address(0) - STACK_MARGIN;
    for (uint8_t *p = __stack_bottom; (uintptr_t)p < limit; p++) *p = STACK_PAINT;
}

static size_t stack_used(void)
{
    const uint8_t *p = __stack_bottom;
    while (p < __stack_top && *p == STACK_PAINT) p++;
    return (size_t)(__stack_top - p);
}

static void connect_now(void)
{
    /* Bytes of an earlier connection still in the ring would be read as a ServerHello. */
    uint8_t drain[64];
    while (wb_port_read(&wb_link, drain, sizeof drain) > 0) {
    }
    wb_gw_start(&session, &identity, &link_io, hello, hello_len, board_millis());
}

void gateway_link_start(const wb_provisioning *p)
{
    if (p->ca == NULL) {
        printf("tls: offline: no platform CA provisioned (trust block at +0xb00)\n");
        return;
    }
    if (p->cert == NULL) {
        printf("tls: offline: no device certificate provisioned (self-signed on the device is not done yet)\n");
        return;
    }
    if (wb_gw_endpoint_host(p->endpoint, host, sizeof host) != 0) {
        printf("tls: offline: endpoint has no host\n");
        return;
    }
    if (board_link_init() != 0) {
        printf("tls: offline: this board has no link UART (%s)\n", board_get_info()->link);
        return;
    }
    hello_len = device_hello_frame(hello, sizeof hello);
    uint64_t t0 = board_millis();
    wb_entropy_init(p->rng_seed, JITTER_SAMPLES);
    if (hello_len == 0 || wb_tls_global_init() != 0) {
        printf("tls: offline: set-up failed\n");
        return;
    }
    printf("tls: rng seeded in %" PRIu32 " ms (provisioned seed, boot %" PRIu32 ", %u jitter samples); link: %s\n",
           (uint32_t)(board_millis() - t0), wb_entropy_boot_count(), JITTER_SAMPLES, board_get_info()->link);
    identity = (wb_tls_identity){
        .ca = p->ca,
        .ca_len = p->ca_len,
        .cert = p->cert,
        .cert_len = p->cert_len,
        .key_seed = p->key_seed,
        .server_name = host,
    };
    enabled = 1;
    paint_stack();
    connect_now();
}

static void schedule_retry(uint64_t now)
{
    const wb_serial_stats *st = &wb_link.stats;
    printf("link: rx_bytes=%" PRIu32 " tx_bytes=%" PRIu32 " rx_holds=%" PRIu32 " rx_overruns=%" PRIu32 "\n", st->rx_bytes,
           st->tx_bytes, st->rx_holds, st->rx_overruns);
    uint32_t delay = session.retry_after_ms != 0 ? session.retry_after_ms : backoff_ms;
    /* Up to a quarter more, so that a fleet does not come back in step. */
    uint8_t r;
    if (wb_tls_generate_seed(&r, 1) == 0) delay += (uint32_t)((uint64_t)delay * r / 1024u);
    backoff_ms = backoff_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : backoff_ms * 2;
    retry_at = now + delay;
    printf("tls: next attempt in %" PRIu32 " ms\n", delay);
}

void gateway_link_poll(void)
{
    if (!enabled) return;
    uint64_t now = board_millis();
    if (retry_at != 0) {
        if (now < retry_at) return;
        retry_at = 0;
        connect_now();
    }
    wb_gw_state before = session.state;
    wb_gw_state state = wb_gw_poll(&session, now);
    if (before == WB_GW_HANDSHAKE && state != WB_GW_HANDSHAKE && !stack_reported) {
        stack_reported = 1;
        printf("tls: main stack peak %u of %u bytes\n", (unsigned)stack_used(),
               (unsigned)(__stack_top - __stack_bottom));
    }
    if (state == WB_GW_WELCOMED) backoff_ms = RETRY_FIRST_MS;
    if (state == WB_GW_FAILED || state == WB_GW_CLOSED) schedule_retry(now);
}
