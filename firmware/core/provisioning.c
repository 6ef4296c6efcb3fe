#include <string.h>

#include "crypto/ed25519.h"
#include "der.h"
#include "proto/schema.h"
#include "provisioning.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t wb_crc32(const uint8_t *data, size_t len)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

int wb_cert_ed25519_key(const uint8_t *cert, size_t len, uint8_t key[32])
{
    /* SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (0 unused bits) } */
    static const uint8_t spki[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    for (size_t i = 0; i + sizeof spki + 32 <= len; i++) {
        if (memcmp(cert + i, spki, sizeof spki) == 0) {
            memcpy(key, cert + i + sizeof spki, 32);
            return 1;
        }
    }
    return 0;
}

static wb_prov_status read_endpoint(const uint8_t *area, wb_provisioning *out)
{
    uint32_t len = le32(area);
    if (len == 0 || len == 0xffffffffu) return WB_PROV_NO_ENDPOINT; /* blank RAM or erased flash */
    if (len < WB_MIN_ENDPOINT_BYTES || len > WB_MAX_ENDPOINT_BYTES) return WB_PROV_BAD_ENDPOINT_LENGTH;
    if (!wb_endpoint_valid(area + 4, len)) return WB_PROV_BAD_ENDPOINT;
    memcpy(out->endpoint, area + 4, len);
    out->endpoint[len] = '\0';
    out->endpoint_len = len;
    return WB_PROV_OK;
}

static wb_prov_status read_identity(const uint8_t *block, wb_provisioning *out)
{
    if (all_zero(block, 4)) return WB_PROV_NO_IDENTITY;
    if (memcmp(block, "WBID", 4) != 0) return WB_PROV_BAD_MAGIC;
    out->version = le16(block + 4);
    if (out->version != WB_PROV_VERSION) return WB_PROV_BAD_VERSION;
    uint16_t cert_len = le16(block + 0x48);
    if (cert_len > WB_PROV_MAX_CERT_BYTES) return WB_PROV_BAD_CERT_LENGTH;
    size_t covered = WB_PROV_IDENTITY_HEADER_BYTES + cert_len;
    if (le32(block + covered) != wb_crc32(block, covered)) return WB_PROV_BAD_CHECKSUM;
    if (all_zero(block + 0x08, 32) || all_zero(block + 0x28, 32)) return WB_PROV_ZERO_SEED;
    memcpy(out->key_seed, block + 0x08, 32);
    memcpy(out->rng_seed, block + 0x28, 32);
    wb_ed25519_public_key(out->key_seed, out->public_key);
    if (cert_len > 0) {
        const uint8_t *cert = block + WB_PROV_IDENTITY_HEADER_BYTES;
        uint8_t certified[32];
        if (wb_der_sequence_length(cert, cert_len) != cert_len || !wb_cert_ed25519_key(cert, cert_len, certified)) {
            return WB_PROV_BAD_CERT;
        }
        if (memcmp(certified, out->public_key, 32) != 0) return WB_PROV_CERT_KEY_MISMATCH;
        out->cert = cert;
        out->cert_len = cert_len;
    }
    return WB_PROV_OK;
}

/* Added after version 1 of the layout: an area without it stays valid. */
static wb_prov_status read_trust(const uint8_t *block, wb_provisioning *out)
{
    if (all_zero(block, 4)) return WB_PROV_OK;
    if (memcmp(block, "WBCA", 4) != 0) return WB_PROV_BAD_TRUST_MAGIC;
    if (le16(block + 4) != WB_PROV_TRUST_VERSION) return WB_PROV_BAD_TRUST_VERSION;
    uint16_t len = le16(block + 6);
    if (len == 0 || len > WB_PROV_MAX_CA_BYTES) return WB_PROV_BAD_CA_LENGTH;
    size_t covered = WB_PROV_TRUST_HEADER_BYTES + len;
    if (le32(block + covered) != wb_crc32(block, covered)) return WB_PROV_BAD_TRUST_CHECKSUM;
    const uint8_t *bundle = block + WB_PROV_TRUST_HEADER_BYTES;
    unsigned count = 0;
    for (size_t at = 0, n; at < len; at += n, count++) {
        n = wb_der_sequence_length(bundle + at, len - at);
        if (n == 0) return WB_PROV_BAD_CA;
    }
    out->ca = bundle;
    out->ca_len = len;
    out->ca_count = (uint8_t)count;
    return WB_PROV_OK;
}

/* Added after version 1 too: the keys an app manifest's publisher must be among. */
static wb_prov_status read_publishers(const uint8_t *block, wb_provisioning *out)
{
    if (all_zero(block, 4)) return WB_PROV_OK;
    if (memcmp(block, "WBPK", 4) != 0) return WB_PROV_BAD_PUBLISHER_MAGIC;
    if (le16(block + 4) != 1u) return WB_PROV_BAD_PUBLISHER_VERSION;
    uint16_t count = le16(block + 6);
    if (count == 0 || count > WB_PROV_MAX_PUBLISHERS) return WB_PROV_BAD_PUBLISHER_COUNT;
    size_t covered = WB_PROV_PUBLISHER_HEADER_BYTES + 32u * count;
    if (le32(block + covered) != wb_crc32(block, covered)) return WB_PROV_BAD_PUBLISHER_CHECKSUM;
    memcpy(out->publishers, block + WB_PROV_PUBLISHER_HEADER_BYTES, 32u * count);
    out->publisher_count = (uint8_t)count;
    return WB_PROV_OK;
}

wb_prov_status wb_provisioning_read(const uint8_t *area, wb_provisioning *out)
{
    memset(out, 0, sizeof *out);
    wb_prov_status s = read_endpoint(area, out);
    if (s == WB_PROV_OK) s = read_identity(area + WB_PROV_IDENTITY_OFFSET, out);
    if (s == WB_PROV_OK) s = read_trust(area + WB_PROV_TRUST_OFFSET, out);
    if (s == WB_PROV_OK) s = read_publishers(area + WB_PROV_PUBLISHER_OFFSET, out);
    return s;
}

const char *wb_prov_status_text(wb_prov_status status)
{
    switch (status) {
    case WB_PROV_OK: return "ok";
    case WB_PROV_NO_ENDPOINT: return "no gateway endpoint provisioned (length word at +0x000 is 0)";
    case WB_PROV_BAD_ENDPOINT_LENGTH: return "endpoint length out of range (3..259)";
    case WB_PROV_BAD_ENDPOINT: return "endpoint is not host:port with a port 1-65535";
    case WB_PROV_NO_IDENTITY: return "no identity block at +0x200";
    case WB_PROV_BAD_MAGIC: return "identity block has a bad magic (expected \"WBID\")";
    case WB_PROV_BAD_VERSION: return "identity block version is not 1";
    case WB_PROV_BAD_CERT_LENGTH: return "certificate length over 2048 bytes";
    case WB_PROV_BAD_CHECKSUM: return "identity block CRC-32 mismatch";
    case WB_PROV_ZERO_SEED: return "key seed or RNG seed is all zeros";
    case WB_PROV_BAD_CERT: return "certificate is not one DER SEQUENCE with an Ed25519 key";
    case WB_PROV_CERT_KEY_MISMATCH: return "certificate does not certify the provisioned key";
    case WB_PROV_BAD_TRUST_MAGIC: return "trust block has a bad magic (expected \"WBCA\")";
    case WB_PROV_BAD_TRUST_VERSION: return "trust block version is not 1";
    case WB_PROV_BAD_CA_LENGTH: return "CA bundle length out of range (1..1268)";
    case WB_PROV_BAD_TRUST_CHECKSUM: return "trust block CRC-32 mismatch";
    case WB_PROV_BAD_CA: return "CA bundle is not a sequence of DER certificates";
    case WB_PROV_BAD_PUBLISHER_MAGIC: return "publisher block has a bad magic (expected \"WBPK\")";
    case WB_PROV_BAD_PUBLISHER_VERSION: return "publisher block version is not 1";
    case WB_PROV_BAD_PUBLISHER_COUNT: return "publisher key count out of range (1..4)";
    case WB_PROV_BAD_PUBLISHER_CHECKSUM: return "publisher block CRC-32 mismatch";
    }
    return "unknown provisioning error";
}
