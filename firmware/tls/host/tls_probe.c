/* The gateway session of the firmware, on the host: reads a provisioning image
 * (the one QEMU would load), connects over TCP and runs tls/gateway_session.c
 * until the gateway answers Hello. Prints the same console lines as a board.
 * Exit status: 0 on Welcome or EnrollmentPending, 1 otherwise, 2 on usage.
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
#include "device.h"
#include "entropy.h"
#include "gateway_session.h"

static int fd = -1;

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
    char host[WB_MAX_ENDPOINT_BYTES + 1];
    if (wb_gw_endpoint_host(prov.endpoint, host, sizeof host) != 0) return 2;
    static uint8_t hello[512];
    size_t hello_len = device_hello_frame(hello, sizeof hello);
    wb_entropy_init(prov.rng_seed, 8);
    if (hello_len == 0 || wb_tls_global_init() != 0) return 1;

    fd = dial(argv[2], argv[3]);
    if (fd < 0) {
        fprintf(stderr, "tls_probe: cannot connect to %s:%s\n", argv[2], argv[3]);
        return 1;
    }
    wb_tls_identity id = {prov.ca, prov.ca_len, prov.cert, prov.cert_len, prov.key_seed, host};
    wb_tls_io io = {sock_recv, sock_send, NULL};
    static wb_gw_session session;
    wb_gw_start(&session, &id, &io, hello, hello_len, board_millis());
    wb_gw_state st;
    while ((st = wb_gw_poll(&session, board_millis())) == WB_GW_HANDSHAKE || st == WB_GW_AWAIT_ANSWER) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        (void)poll(&p, 1, 20);
    }
    int ok = st == WB_GW_WELCOMED || st == WB_GW_PENDING;
    wb_gw_stop(&session);
    close(fd);
    printf("tls_probe: %s; TLS heap now %u bytes\n", ok ? "ok" : "failed", (unsigned)wb_tls_heap_in_use());
    return ok ? 0 : 1;
}
