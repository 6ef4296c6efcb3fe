/* The device agent over TLS as the boards run it (tls/agent_link.c), on the
 * host: reads a provisioning image (the one QEMU would load), connects over
 * TCP and runs until the gateway answers Hello (no runtime: Hello offers
 * none). Prints the same console lines as a board. Exit status: 0 on Welcome
 * or EnrollmentPending, 1 otherwise (including a failed first connection), 2
 * on usage.
 *
 *   tls_probe <provisioning image> <connect-host> <port>
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "board.h"
#include "entropy.h"
#include "provisioning.h"
#include "agent_link.h"

static int fd = -1;
static const char *connect_host, *connect_port;

static int sock_recv(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
    if (n > 0) return (int)n;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return 0;
    return -1;
}

static int sock_send(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    return n > 0 ? (int)n : -1;
}

static int dial(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0) return -1;
    int s = -1;
    for (struct addrinfo *a = res; a != NULL && s < 0; a = a->ai_next) {
        s = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s >= 0 && connect(s, a->ai_addr, a->ai_addrlen) != 0) {
            close(s);
            s = -1;
        }
    }
    freeaddrinfo(res);
    return s;
}

/* Each connection dials the address given on the command line (the endpoint
 * names the host the certificate must carry). */
static void sock_open(void *ctx, const char *endpoint)
{
    (void)ctx;
    (void)endpoint;
    if (fd >= 0) close(fd);
    fd = dial(connect_host, connect_port);
    if (fd < 0) fprintf(stderr, "tls_probe: cannot connect to %s:%s\n", connect_host, connect_port);
}

static bool refuse_runs(void *ctx, const wb_agent_run *run, wb_agent_error *error)
{
    (void)ctx;
    (void)run;
    snprintf(error->code, sizeof error->code, "instantiate_failed");
    snprintf(error->message, sizeof error->message, "tls_probe has no runtime");
    return false;
}

static void no_stop(void *ctx, uint32_t run_id)
{
    (void)ctx;
    (void)run_id;
}

static uint32_t random_u32(void *ctx)
{
    (void)ctx;
    uint32_t r = 0;
    (void)wb_tls_generate_seed((unsigned char *)&r, sizeof r);
    return r;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return 0;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 4) {
        fprintf(stderr, "usage: tls_probe <provisioning image> <connect-host> <port>\n");
        return 2;
    }
    static uint8_t area[WB_PROV_AREA_BYTES];
    if (read_file(argv[1], area, sizeof area) != sizeof area) {
        fprintf(stderr, "tls_probe: %s is not a 4 KiB provisioning image\n", argv[1]);
        return 2;
    }
    static wb_provisioning prov;
    wb_prov_status ps = wb_provisioning_read(area, &prov);
    if (ps != WB_PROV_OK || prov.ca == NULL || prov.cert == NULL) {
        fprintf(stderr, "tls_probe: provisioning: %s%s\n", wb_prov_status_text(ps),
                ps == WB_PROV_OK ? " (but no CA bundle or no certificate)" : "");
        return 2;
    }
    wb_entropy_init(prov.rng_seed, 8);
    if (wb_tls_global_init() != 0) return 1;

    static uint8_t rx[WB_MIN_DEVICE_FRAME_BYTES], tx[6144], slot[WB_AGENT_SLOT_MANIFEST_BYTES + 1024];
    static wb_agent agent;
    wb_agent_config c = {
        .firmware = "wasmbed-fw/tls-probe",
        .board = "host",
        .arch = "x86_64",
        .runtime_name = "none",
        .runtime_version = "0",
        .ram_bytes = 256u * 1024u,
        .max_instances = 1,
        .endpoint = prov.endpoint,
        .rx_buf = rx,
        .rx_cap = sizeof rx,
        .tx_buf = tx,
        .tx_cap = sizeof tx,
        .slots = {{slot, sizeof slot}},
        .slot_count = 1,
        .hooks = {.start = refuse_runs, .stop = no_stop, .random_u32 = random_u32},
    };
    if (wb_agent_init(&agent, &c) != WB_OK) {
        fprintf(stderr, "tls_probe: agent: %s\n", wb_agent_problem(&agent));
        return 1;
    }
    connect_host = argv[2];
    connect_port = argv[3];
    wb_tls_identity id = {prov.ca, prov.ca_len, prov.cert, prov.cert_len, prov.key_seed, NULL};
    wb_agent_transport transport = {sock_open, {sock_recv, sock_send, NULL}};
    wb_agent_link_start(&agent, &id, &transport, board_millis());
    /* Until the first connection has its answer, or ended without one. */
    wb_agent_phase phase;
    do {
        wb_agent_link_poll(board_millis());
        phase = wb_agent_phase_of(&agent);
        if (fd >= 0) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            (void)poll(&p, 1, 20);
        }
    } while (phase != WB_AGENT_ESTABLISHED && phase != WB_AGENT_PENDING && wb_agent_link_connections() < 2 &&
             !(wb_agent_link_connections() == 1 && fd < 0));
    int ok = phase == WB_AGENT_ESTABLISHED || phase == WB_AGENT_PENDING;
    wb_agent_link_stop(board_millis());
    if (fd >= 0) close(fd);
    printf("tls_probe: %s; TLS heap now %u bytes\n", ok ? "ok" : "failed", (unsigned)wb_tls_heap_in_use());
    return ok ? 0 : 1;
}
