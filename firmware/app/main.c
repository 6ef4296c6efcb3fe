/* Boot: bring up the board, report it, read and check the provisioning area,
 * self-test heap and protocol codec, set up the device agent and start its
 * TLS connection to the gateway over the link UART. Then the main loop serves
 * the console and the link, and runs the app the agent started (the session
 * is served from the app's host calls meanwhile: README, "Running apps"). */
#include <inttypes.h>
#include <stdio.h>

#include "board.h"
#include "device.h"
#include "device_agent.h"
#include "gateway_link.h"
#include "serial.h"
#include "version.h"

wb_provisioning device_provisioning;

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

/* Lets the console drain, then stops for good. */
_Noreturn static void halt(void)
{
    wb_serial_flush();
    board_halt();
}

_Noreturn static void provisioning_failed(wb_prov_status status)
{
    printf("PROVISIONING ERROR: %s\n", wb_prov_status_text(status));
    printf("provisioning area at 0x%08" PRIxPTR " (layout: firmware/README.md); halted\n",
           (uintptr_t)__provisioning_start);
    halt();
}

int main(void)
{
    board_init();
    const board_info *b = board_get_info();
    printf("\n%s %s board=%s cpu=%s arch=%s\n", WB_FIRMWARE_NAME, WB_FIRMWARE_VERSION, b->name, b->cpu, b->arch);
    printf("uart: %s\n", b->uart);
    printf("timer: %s\n", b->timer);
    printf("ram: %" PRIu32 " KiB at 0x%08" PRIxPTR ", provisioning area at 0x%08" PRIxPTR "\n", b->ram_bytes / 1024u,
           b->ram_base, (uintptr_t)__provisioning_start);
    if (device_heap_selftest() != 0) halt();

    wb_prov_status status = wb_provisioning_read(__provisioning_start, &device_provisioning);
    if (status != WB_PROV_OK) provisioning_failed(status);
    const wb_provisioning *p = &device_provisioning;
    printf("endpoint: %s\n", p->endpoint);
    printf("identity: ed25519 ");
    print_hex(p->public_key, sizeof p->public_key);
    printf("\n");
    if (p->cert != NULL) {
        printf("certificate: %u bytes DER, certifies the device key\n", (unsigned)p->cert_len);
    } else {
        printf("certificate: none provisioned (self-signed at first connection)\n");
    }
    if (p->ca != NULL) {
        printf("platform CA: %u certificate(s), %u bytes DER\n", (unsigned)p->ca_count, (unsigned)p->ca_len);
    } else {
        printf("platform CA: none provisioned\n");
    }
    printf("rng: seeded from the provisioning block (32 bytes)\n");

    if (device_protocol_selftest() != 0) halt();
    if (gateway_link_prepare(p) == 0) {
        wb_agent *agent = device_agent_create(p);
        if (agent != NULL) gateway_link_start(p, agent);
    }
    printf("ready in %" PRIu32 " ms; commands: help\n> ", (uint32_t)board_millis());
    for (;;) {
        device_service();
        device_agent_run_pending();
        board_wait_for_interrupt();
    }
}
