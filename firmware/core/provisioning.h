/* The provisioning area: 4 KiB of RAM that the emulator fills before the CPU
 * starts (QEMU `-device loader,file=...,addr=<area>`), holding where the device
 * connects to and who it is. Layout (all integers little-endian), see README:
 *
 *   +0x000  u32 endpoint length, then the endpoint "host:port" (seed layout)
 *   +0x140  publisher block (optional, all zero when absent): publisher keys the
 *           device trusts for app manifests (none: any publisher, the gateway filters):
 *           +0x00 magic "WBPK"       +0x04 u16 version (1)   +0x06 u16 key count (1..4)
 *           +0x08 count × 32 B Ed25519 public keys, then u32 CRC-32 of the block up to here
 *   +0x200  identity block:
 *           +0x00 magic "WBID"       +0x04 u16 version (1)   +0x06 u16 0
 *           +0x08 32 B Ed25519 key seed (the device's private key)
 *           +0x28 32 B RNG seed
 *           +0x48 u16 certificate length (0: none yet)       +0x4a u16 0
 *           +0x4c certificate, DER
 *           then  u32 CRC-32 (IEEE, as zlib) of the block up to here
 *   +0xb00  trust block (optional, all zero when absent):
 *           +0x00 magic "WBCA"       +0x04 u16 version (1)   +0x06 u16 bundle length
 *           +0x08 platform CA bundle: one or more DER certificates, concatenated
 *           then  u32 CRC-32 of the block up to here
 */
#ifndef WB_PROVISIONING_H
#define WB_PROVISIONING_H

#include <stddef.h>
#include <stdint.h>

#include "proto/limits.h"

#define WB_PROV_AREA_BYTES 0x1000u
#define WB_PROV_IDENTITY_OFFSET 0x200u
#define WB_PROV_IDENTITY_HEADER_BYTES 0x4cu
#define WB_PROV_VERSION 1u
#define WB_PROV_MAX_CERT_BYTES 2048u
#define WB_PROV_TRUST_OFFSET 0xb00u
#define WB_PROV_TRUST_HEADER_BYTES 0x08u
#define WB_PROV_TRUST_VERSION 1u
#define WB_PROV_PUBLISHER_OFFSET 0x140u /* after the longest endpoint (0x107) */
#define WB_PROV_PUBLISHER_HEADER_BYTES 0x08u
#define WB_PROV_MAX_PUBLISHERS 4u
#define WB_PROV_MAX_CA_BYTES (WB_PROV_AREA_BYTES - WB_PROV_TRUST_OFFSET - WB_PROV_TRUST_HEADER_BYTES - 4u) /* 1268 */

typedef enum {
    WB_PROV_OK,
    WB_PROV_NO_ENDPOINT,
    WB_PROV_BAD_ENDPOINT_LENGTH,
    WB_PROV_BAD_ENDPOINT,
    WB_PROV_NO_IDENTITY,
    WB_PROV_BAD_MAGIC,
    WB_PROV_BAD_VERSION,
    WB_PROV_BAD_CERT_LENGTH,
    WB_PROV_BAD_CHECKSUM,
    WB_PROV_ZERO_SEED,
    WB_PROV_BAD_CERT,
    WB_PROV_CERT_KEY_MISMATCH,
    WB_PROV_BAD_TRUST_MAGIC,
    WB_PROV_BAD_TRUST_VERSION,
    WB_PROV_BAD_CA_LENGTH,
    WB_PROV_BAD_TRUST_CHECKSUM,
    WB_PROV_BAD_CA,
    WB_PROV_BAD_PUBLISHER_MAGIC,
    WB_PROV_BAD_PUBLISHER_VERSION,
    WB_PROV_BAD_PUBLISHER_COUNT,
    WB_PROV_BAD_PUBLISHER_CHECKSUM,
} wb_prov_status;

typedef struct {
    char endpoint[WB_MAX_ENDPOINT_BYTES + 1]; /* NUL-terminated copy */
    uint32_t endpoint_len;
    uint16_t version;
    uint8_t key_seed[32];
    uint8_t public_key[32]; /* derived from key_seed */
    uint8_t rng_seed[32];
    const uint8_t *cert; /* in the area; NULL when none was provisioned */
    uint16_t cert_len;
    const uint8_t *ca; /* platform CA bundle in the area; NULL when no trust block */
    uint16_t ca_len;
    uint8_t ca_count;  /* certificates in the bundle */
    uint8_t publishers[WB_PROV_MAX_PUBLISHERS][32]; /* trusted manifest publishers */
    uint8_t publisher_count; /* 0: no publisher block (any publisher) */
} wb_provisioning;

/* Reads and validates the area; on success `out` holds copies of everything but
 * the certificate and the CA bundle. The check that the certificate certifies key_seed's public
 * key costs one Ed25519 scalar multiplication. */
wb_prov_status wb_provisioning_read(const uint8_t *area, wb_provisioning *out);

/* One line saying what is wrong, for the console. */
const char *wb_prov_status_text(wb_prov_status status);

/* The raw Ed25519 key of a certificate's SubjectPublicKeyInfo, found by its
 * fixed DER prefix. false when there is none. */
int wb_cert_ed25519_key(const uint8_t *cert, size_t len, uint8_t key[32]);

uint32_t wb_crc32(const uint8_t *data, size_t len);

#endif
