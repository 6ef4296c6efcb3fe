#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "entropy.h"
#include "gateway_link.h"
#include "agent_link.h"
#include "serial.h"

#define JITTER_SAMPLES 32
#define STACK_PAINT 0xa5u
#define STACK_MARGIN 256u /* below the current stack pointer: left alone */

static wb_tls_identity identity;
static char host[WB_MAX_ENDPOINT_BYTES + 1];
static int enabled;
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

/* Fills the unused main stack with a pattern, to find its high-water mark
 * after the handshake (there is no stack guard yet: see README). */
static void paint_stack(void)
{
    uintptr_t limit = (uintptr_t)__builtin_frame_address(0) - STACK_MARGIN;
    for (uint8_t *p = __stack_bottom; (uintptr_t)p < limit; p++) *p = STACK_PAINT;
}

size_t gateway_link_stack_peak(void)
{
    const uint8_t *p = __stack_bottom;
    while (p < __stack_top && *p == STACK_PAINT) p++;
    return (size_t)(__stack_top - p);
}

/* A new connection: bytes of the last one still in the ring would be read as
 * a ServerHello. The bridge dials the gateway on the first byte it relays. */
static void link_open(void *ctx, const char *endpoint)
{
    (void)ctx;
    (void)endpoint;
    const wb_serial_stats *st = &wb_link.stats;
    printf("link: rx_bytes=%" PRIu32 " tx_bytes=%" PRIu32 " rx_holds=%" PRIu32 " rx_overruns=%" PRIu32 "\n", st->rx_bytes,
           st->tx_bytes, st->rx_holds, st->rx_overruns);
    uint8_t drain[64];
    while (wb_port_read(&wb_link, drain, sizeof drain) > 0) {
    }
}

static const wb_agent_transport link_transport = {link_open, {link_recv, link_send, NULL}};

int gateway_link_prepare(const wb_provisioning *p)
{
    if (p->ca == NULL) {
        printf("tls: offline: no platform CA provisioned (trust block at +0xb00)\n");
        return -1;
    }
    if (p->cert == NULL) {
        printf("tls: offline: no device certificate provisioned (self-signed on the device is not done yet)\n");
        return -1;
    }
    if (wb_gw_endpoint_host(p->endpoint, host, sizeof host) != 0) {
        printf("tls: offline: endpoint has no host\n");
        return -1;
    }
    if (board_link_init() != 0) {
        printf("tls: offline: this board has no link UART (%s)\n", board_get_info()->link);
        return -1;
    }
    uint64_t t0 = board_millis();
    wb_entropy_init(p->rng_seed, JITTER_SAMPLES);
    if (wb_tls_global_init() != 0) {
        printf("tls: offline: set-up failed\n");
        return -1;
    }
    printf("tls: rng seeded in %" PRIu32 " ms (provisioned seed, boot %" PRIu32 ", %u jitter samples); link: %s\n",
           (uint32_t)(board_millis() - t0), wb_entropy_boot_count(), JITTER_SAMPLES, board_get_info()->link);
    return 0;
}

void gateway_link_start(const wb_provisioning *p, wb_agent *agent)
{
    identity = (wb_tls_identity){
        .ca = p->ca,
        .ca_len = p->ca_len,
        .cert = p->cert,
        .cert_len = p->cert_len,
        .key_seed = p->key_seed,
    };
    enabled = 1;
    paint_stack();
    wb_agent_link_start(agent, &identity, &link_transport, board_millis());
}

void gateway_link_poll(void)
{
    if (!enabled) return;
    wb_agent_link_poll(board_millis());
    if (!stack_reported && wb_agent_link_tls_state() == WB_GW_OPEN) {
        stack_reported = 1;
        printf("tls: main stack peak %u of %u bytes\n", (unsigned)gateway_link_stack_peak(),
               (unsigned)(__stack_top - __stack_bottom));
    }
}
