/* wolfSSL glue: context and connection set-up from the provisioned identity,
 * non-blocking I/O callbacks over a wb_tls_io, a counting allocator. */
#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "der.h"
#include "tls_client.h"

#define ALPN "wasmbed"

struct wb_tls {
    WOLFSSL_CTX *ctx;
    WOLFSSL *ssl;
    wb_tls_io io;
    int error;
};

/* ---- counting allocator: a size word in front of every block ---------- */

typedef union {
    size_t size;
    max_align_t align;
} block_head;

static size_t heap_in_use;
static size_t heap_peak;

static void *tls_malloc(size_t size)
{
    block_head *h = malloc(sizeof *h + size);
    if (h == NULL) return NULL;
    h->size = size;
    heap_in_use += size;
    if (heap_in_use > heap_peak) heap_peak = heap_in_use;
    return h + 1;
}

static void tls_free(void *p)
{
    if (p == NULL) return;
    block_head *h = (block_head *)p - 1;
    heap_in_use -= h->size;
    free(h);
}

static void *tls_realloc(void *p, size_t size)
{
    if (p == NULL) return tls_malloc(size);
    block_head *h = (block_head *)p - 1;
    size_t old = h->size;
    block_head *n = realloc(h, sizeof *n + size);
    if (n == NULL) return NULL;
    n->size = size;
    heap_in_use = heap_in_use - old + size;
    if (heap_in_use > heap_peak) heap_peak = heap_in_use;
    return n + 1;
}

size_t wb_tls_heap_in_use(void)
{
    return heap_in_use;
}

size_t wb_tls_heap_peak(void)
{
    return heap_peak;
}

void wb_tls_heap_reset_peak(void)
{
    heap_peak = heap_in_use;
}

int wb_tls_global_init(void)
{
    if (wolfSSL_SetAllocators(tls_malloc, tls_free, tls_realloc) != 0) return -1;
    return wolfSSL_Init() == WOLFSSL_SUCCESS ? 0 : -1;
}

/* ---- I/O callbacks ------------------------------------------------------ */

static int io_recv(WOLFSSL *ssl, char *buf, int len, void *ctx)
{
    (void)ssl;
    wb_tls *t = ctx;
    int n = t->io.recv(t->io.ctx, (uint8_t *)buf, (size_t)len);
    if (n > 0) return n;
    return n == 0 ? WOLFSSL_CBIO_ERR_WANT_READ : WOLFSSL_CBIO_ERR_CONN_CLOSE;
}

static int io_send(WOLFSSL *ssl, char *buf, int len, void *ctx)
{
    (void)ssl;
    wb_tls *t = ctx;
    int n = t->io.send(t->io.ctx, (const uint8_t *)buf, (size_t)len);
    if (n > 0) return n;
    return n == 0 ? WOLFSSL_CBIO_ERR_WANT_WRITE : WOLFSSL_CBIO_ERR_CONN_CLOSE;
}

/* ---- set-up ------------------------------------------------------------- */

/* Each certificate of the bundle is a trust anchor. */
static int load_trust(WOLFSSL_CTX *ctx, const uint8_t *bundle, size_t len)
{
    size_t at = 0;
    int loaded = 0;
    while (at < len) {
        size_t n = wb_der_sequence_length(bundle + at, len - at);
        if (n == 0) return -1;
        if (wolfSSL_CTX_load_verify_buffer(ctx, bundle + at, (long)n, WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) return -1;
        at += n;
        loaded++;
    }
    return loaded > 0 ? 0 : -1;
}

/* RFC 8410 PKCS#8 OneAsymmetricKey around the 32-byte seed. */
static int load_key(WOLFSSL_CTX *ctx, const uint8_t seed[32])
{
    static const uint8_t prefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b,
                                     0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    uint8_t der[sizeof prefix + 32];
    memcpy(der, prefix, sizeof prefix);
    memcpy(der + sizeof prefix, seed, 32);
    int ok = wolfSSL_CTX_use_PrivateKey_buffer(ctx, der, sizeof der, WOLFSSL_FILETYPE_ASN1) == WOLFSSL_SUCCESS;
    for (volatile uint8_t *v = der; v < der + sizeof der; v++) *v = 0; /* no copy of the key left on the stack */
    return ok ? 0 : -1;
}

/* SNI carries DNS names only (RFC 6066 §3), never IP literals. */
static int is_dns_name(const char *host)
{
    int letter = 0;
    for (const char *c = host; *c; c++) {
        if (*c == ':') return 0;
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '-') letter = 1;
    }
    return letter;
}

static int configure(wb_tls *t, const wb_tls_identity *id)
{
    t->ctx = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
    if (t->ctx == NULL) return MEMORY_E;
    if (load_trust(t->ctx, id->ca, id->ca_len) != 0) return ASN_PARSE_E;
    if (wolfSSL_CTX_use_certificate_buffer(t->ctx, id->cert, (long)id->cert_len, WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
        return ASN_PARSE_E;
    }
    if (load_key(t->ctx, id->key_seed) != 0) return ASN_PARSE_E;
    wolfSSL_CTX_set_verify(t->ctx, WOLFSSL_VERIFY_PEER, NULL);

    t->ssl = wolfSSL_new(t->ctx);
    if (t->ssl == NULL) return MEMORY_E;
    wolfSSL_SSLSetIORecv(t->ssl, io_recv);
    wolfSSL_SSLSetIOSend(t->ssl, io_send);
    wolfSSL_SetIOReadCtx(t->ssl, t);
    wolfSSL_SetIOWriteCtx(t->ssl, t);
    if (wolfSSL_check_domain_name(t->ssl, id->server_name) != WOLFSSL_SUCCESS) return MEMORY_E;
    if (is_dns_name(id->server_name) &&
        wolfSSL_UseSNI(t->ssl, WOLFSSL_SNI_HOST_NAME, id->server_name, (word16)strlen(id->server_name)) != WOLFSSL_SUCCESS) {
        return MEMORY_E;
    }
    /* 4 KiB records: the receive buffer never needs the full 16 KiB. */
    if (wolfSSL_UseMaxFragment(t->ssl, WOLFSSL_MFL_2_12) != WOLFSSL_SUCCESS) return MEMORY_E;
    char alpn[] = ALPN;
    if (wolfSSL_UseALPN(t->ssl, alpn, sizeof alpn - 1, WOLFSSL_ALPN_CONTINUE_ON_MISMATCH) != WOLFSSL_SUCCESS) return MEMORY_E;
    if (wolfSSL_UseKeyShare(t->ssl, WOLFSSL_ECC_X25519) != WOLFSSL_SUCCESS) return MEMORY_E;
    return 0;
}

wb_tls *wb_tls_open(const wb_tls_identity *id, const wb_tls_io *io)
{
    wb_tls *t = tls_malloc(sizeof *t);
    if (t == NULL) return NULL;
    memset(t, 0, sizeof *t);
    t->io = *io;
    t->error = configure(t, id);
    if (t->error != 0) {
        wb_tls_close(t);
        return NULL;
    }
    return t;
}

/* ---- traffic ------------------------------------------------------------ */

/* AGAIN for want-read/write, CLOSED for close_notify, else FAILED with the error kept. */
static int status_of(wb_tls *t, int ret)
{
    int err = wolfSSL_get_error(t->ssl, ret);
    if (err == WOLFSSL_ERROR_WANT_READ || err == WOLFSSL_ERROR_WANT_WRITE) return WB_TLS_AGAIN;
    if (err == WOLFSSL_ERROR_ZERO_RETURN) return WB_TLS_CLOSED;
    t->error = err;
    return WB_TLS_FAILED;
}

wb_tls_status wb_tls_handshake(wb_tls *t)
{
    int ret = wolfSSL_connect(t->ssl);
    return ret == WOLFSSL_SUCCESS ? WB_TLS_OK : (wb_tls_status)status_of(t, ret);
}

int wb_tls_read(wb_tls *t, uint8_t *buf, size_t len)
{
    int n = wolfSSL_read(t->ssl, buf, (int)len);
    if (n > 0) return n;
    int s = status_of(t, n);
    return s == WB_TLS_AGAIN ? 0 : s == WB_TLS_CLOSED ? WB_TLS_READ_CLOSED : WB_TLS_READ_FAILED;
}

wb_tls_status wb_tls_write(wb_tls *t, const uint8_t *buf, size_t len)
{
    for (;;) {
        int n = wolfSSL_write(t->ssl, buf, (int)len);
        if (n == (int)len) return WB_TLS_OK;
        int s = status_of(t, n);
        if (s != WB_TLS_AGAIN) return WB_TLS_FAILED;
    }
}

void wb_tls_close(wb_tls *t)
{
    if (t == NULL) return;
    if (t->ssl != NULL) {
        (void)wolfSSL_shutdown(t->ssl);
        wolfSSL_free(t->ssl);
    }
    if (t->ctx != NULL) wolfSSL_CTX_free(t->ctx);
    tls_free(t);
}

const char *wb_tls_cipher(wb_tls *t)
{
    return wolfSSL_get_cipher_name(t->ssl);
}

const char *wb_tls_group(wb_tls *t)
{
    const char *name = wolfSSL_get_curve_name(t->ssl);
    return name != NULL ? name : "?";
}

unsigned wb_tls_max_record(wb_tls *t)
{
    int n = wolfSSL_GetMaxOutputSize(t->ssl);
    return n > 0 ? (unsigned)n : 0;
}

int wb_tls_error(const wb_tls *t)
{
    return t->error;
}
