/* Signed application manifests (docs/protocol.md §10): strict deterministic
 * decoding (exactly one accepted encoding per manifest), encoding, and the
 * Ed25519 check a device runs over the received bytes before decoding them. */
#ifndef WB_PROTO_MANIFEST_H
#define WB_PROTO_MANIFEST_H

#include "proto/schema.h"

typedef struct {
    wb_list env;  /* of wb_text_pair, in deterministic key order */
    wb_list args; /* of wb_slice */
} wb_manifest_config;

typedef struct {
    bool auto_restart;
    uint32_t max_restarts;
} wb_restart_policy;

/* Fields in the deterministic order of their keys. */
typedef struct {
    wb_slice name;
    wb_manifest_config config;
    wb_slice sha256;
    bool has_restart;
    wb_restart_policy restart;
    uint32_t revision;
    uint32_t size_bytes;
    wb_slice entry_point;
    wb_list host_functions; /* of wb_slice, strictly ascending */
    uint32_t cpu_time_limit_ms;
    uint32_t memory_limit_bytes;
} wb_manifest;

extern const wb_node wb_manifest_node;

/* Errors: invalid_manifest (path in `path`, may be NULL), no_space (arena). */
wb_status wb_manifest_decode(const uint8_t *bytes, size_t len, wb_manifest *out, wb_arena *arena, wb_path *path);

wb_status wb_manifest_encode(const wb_manifest *m, uint8_t *buf, size_t cap, size_t *out_len, wb_path *path);

/* Ed25519 (RFC 8032) over exactly `bytes`: WB_OK or bad_signature. */
wb_status wb_manifest_verify(const uint8_t *bytes, size_t len, const uint8_t signature[64],
                             const uint8_t public_key[32]);

#endif
