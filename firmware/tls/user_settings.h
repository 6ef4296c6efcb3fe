/* wolfSSL configuration of the firmware (WOLFSSL_USER_SETTINGS): a TLS 1.3
 * client and nothing else, as docs/protocol.md §2 asks of a device.
 *
 *   - TLS 1.3 only, client only, no TLS 1.2 and below, no PSK, no session
 *     cache or tickets, no early data.
 *   - Key exchange X25519; signatures Ed25519 (the device's certificate key,
 *     the gateway's, and the platform CA's); cipher suite
 *     TLS_CHACHA20_POLY1305_SHA256 (no AES unit on a Cortex-M3 or RV32IMAC:
 *     ChaCha20 is cheaper and constant-time in software; the gateway must offer
 *     it, and Node's default TLS 1.3 list does). SHA-256 for the transcript and
 *     HKDF, SHA-512 because Ed25519 needs it.
 *   - The gateway's chain is verified against the platform CA from the
 *     provisioning area (loaded at run time, nothing compiled in). No validity
 *     dates (NO_ASN_TIME): the device has no calendar clock; the protocol allows
 *     skipping them (§2) but never the chain.
 *   - max_fragment_length (RFC 6066) keeps records, and so receive buffers, at
 *     4 KiB; record_size_limit (RFC 8449) does not exist in wolfSSL 5.5.4.
 *   - No filesystem, threads, sockets or stdio: I/O callbacks over the link
 *     UART, heap through picolibc malloc (counted, see wb_tls_heap), the DRBG
 *     seeded by wb_tls_generate_seed (tls/entropy.c).
 *
 * The same file builds the host variant (gcc + sanitizers) of the test client.
 */
#ifndef WB_TLS_USER_SETTINGS_H
#define WB_TLS_USER_SETTINGS_H

/* ---- platform ---------------------------------------------------------- */
#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define NO_MAIN_DRIVER
#define NO_DEV_RANDOM
#define WOLFSSL_USER_IO            /* wolfSSL_SSLSetIORecv/Send */
#define WOLFSSL_NO_SOCK
#define WOLFSSL_SMALL_STACK        /* large temporaries on the heap, not on the 8 KiB main stack */
#define WOLFSSL_GENERAL_ALIGNMENT 4
#define SIZEOF_LONG_LONG 8
#define NO_ERROR_STRINGS           /* tls/errors.c names the few errors a device reports */
#define NO_SESSION_CACHE
#define NO_CLIENT_CACHE

/* ---- TLS ---------------------------------------------------------------- */
#define WOLFSSL_TLS13
#define WOLFSSL_NO_TLS12
#define NO_OLD_TLS
#define NO_WOLFSSL_SERVER
#define NO_PSK
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_SNI
#define HAVE_ALPN
#define HAVE_MAX_FRAGMENT
#define HAVE_HKDF
#define WOLFSSL_ASN_TEMPLATE
#define NO_ASN_TIME
#define WOLFSSL_NO_PEM             /* certificates and keys arrive as DER */
#define NO_CODING                  /* no Base64: no PEM */
#define IGNORE_NAME_CONSTRAINTS
#define WOLFSSL_IP_ALT_NAME        /* a gateway addressed by IP is matched against iPAddress SANs */

/* ---- crypto ------------------------------------------------------------- */
#define HAVE_CURVE25519
#define HAVE_ED25519
/* Small Ed25519 (no 30 KiB base-point table) but fast X25519: measured on
 * mps2-an385 under QEMU -icount (32 ns per instruction), CURVED25519_SMALL (both
 * small) saves 4.5 KiB more flash but its byte-wise X25519 makes the handshake
 * ~2.4 s instead of ~60 ms; nothing small takes 112 KiB for the same 60 ms. */
#define ED25519_SMALL
#define WOLFSSL_SHA512
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_ONE_TIME_AUTH
#define HAVE_HASHDRBG
/* No RSA/ECC/DH, but the ASN.1 reader has an INTEGER-as-bignum path: the
 * smallest SP math, only what that path reaches survives --gc-sections. */
#define WOLFSSL_SP_MATH_ALL
#define WOLFSSL_SP_SMALL
#define SP_INT_BITS 256
#define NO_AES
#define NO_RSA
#define NO_DH
#define NO_DSA
#define NO_SHA
#define NO_MD4
#define NO_MD5
#define NO_DES3
#define NO_RC4
#define NO_PWDBASED
#define NO_SIG_WRAPPER
#define WOLFSSL_NO_SHAKE256
#define WC_NO_RSA_OAEP
#define NO_OLD_RNGNAME

/* ---- entropy ------------------------------------------------------------ */
/* The DRBG's seed: provisioned seed + timer jitter + boot counter, through
 * SHA-256 (tls/entropy.c). A real board reads its TRNG here instead. */
int wb_tls_generate_seed(unsigned char *output, unsigned int size);
#define CUSTOM_RAND_GENERATE_SEED wb_tls_generate_seed

#endif
