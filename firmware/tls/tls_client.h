/* TLS 1.3 client over any byte transport (wolfSSL, configured by
 * user_settings.h): mutual authentication with the device's Ed25519
 * certificate, the gateway's chain checked against the provisioned platform CA
 * and its name against the endpoint host. Non-blocking: every call returns
 * when the transport has nothing more to give, and is called again later. */
#ifndef WB_TLS_CLIENT_H
#define WB_TLS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

/* recv: bytes read (> 0), 0 when none are available now, -1 when the
 * transport is closed. send: bytes taken (> 0), 0 when it cannot take any now,
 * -1 when closed. */
typedef struct {
    int (*recv)(void *ctx, uint8_t *buf, size_t len);
    int (*send)(void *ctx, const uint8_t *buf, size_t len);
    void *ctx;
} wb_tls_io;

typedef struct {
    const uint8_t *ca;        /* platform CA bundle: concatenated DER certificates */
    size_t ca_len;
    const uint8_t *cert;      /* the device's certificate, DER */
    size_t cert_len;
    const uint8_t *key_seed;  /* its Ed25519 private key seed, 32 bytes */
    const char *server_name;  /* endpoint host: checked against the gateway's certificate, SNI if a DNS name */
} wb_tls_identity;

typedef enum {
    WB_TLS_OK = 0,
    WB_TLS_AGAIN = 1, /* waiting for the transport */
    WB_TLS_CLOSED = 2, /* the peer closed the connection (close_notify) */
    WB_TLS_FAILED = -1, /* see wb_tls_error_text(wb_tls_last_error()) */
} wb_tls_status;

typedef struct wb_tls wb_tls;

/* Once per boot: wolfSSL's globals and its (counted) allocator. */
int wb_tls_global_init(void);

/* Sets up a connection; nothing is sent before wb_tls_handshake. NULL on
 * failure (bad CA/certificate/key, out of memory). */
wb_tls *wb_tls_open(const wb_tls_identity *id, const wb_tls_io *io);
wb_tls_status wb_tls_handshake(wb_tls *t);
/* Bytes read (> 0); 0 when none are available now; WB_TLS_READ_CLOSED
 * (close_notify) or WB_TLS_READ_FAILED. (Not the wb_tls_status codes: AGAIN
 * and CLOSED would read as 1 and 2 bytes.) */
#define WB_TLS_READ_FAILED (-1)
#define WB_TLS_READ_CLOSED (-2)
int wb_tls_read(wb_tls *t, uint8_t *buf, size_t len);
/* Writes all of buf (blocking on the transport's own terms); WB_TLS_OK or WB_TLS_FAILED. */
wb_tls_status wb_tls_write(wb_tls *t, const uint8_t *buf, size_t len);
/* Sends close_notify (best effort) and frees everything. */
void wb_tls_close(wb_tls *t);

/* What was negotiated, after a successful handshake. */
const char *wb_tls_cipher(wb_tls *t);
const char *wb_tls_group(wb_tls *t);
/* Largest plaintext per record: 4096 once the gateway accepted max_fragment_length. */
unsigned wb_tls_max_record(wb_tls *t);

/* The wolfSSL error of the last failure on this connection (0 when none). */
int wb_tls_error(const wb_tls *t);
/* One line for the console: what a wolfSSL error means for a device. */
const char *wb_tls_error_text(int error);

/* Heap used by wolfSSL: now and the most since boot (or the last reset). */
size_t wb_tls_heap_in_use(void);
size_t wb_tls_heap_peak(void);
void wb_tls_heap_reset_peak(void);

#endif
