#include "proto/manifest.h"

#include "crypto/ed25519.h"
#include "proto/fields.h"
#include "proto/limits.h"

static const wb_node size_node = {.kind = WB_NODE_UINT, .min = 1, .max = WB_MAX_U32};
static const wb_node memory_limit_node = {.kind = WB_NODE_UINT, .min = 1, .max = WB_MAX_U32};
static const wb_node entry_point_node = {.kind = WB_NODE_TEXT, .min = 1, .max = 128, .pattern = WB_PATTERN_ENTRY_POINT};
static const wb_node host_functions_node = {
    .kind = WB_NODE_ARRAY, .item = &wb_host_function_node, .max = WB_MAX_HOST_FUNCTIONS, .order = WB_ORDER_SORTED};
static const wb_node env_name_node = {.kind = WB_NODE_TEXT, .min = 1, .max = 128, .pattern = WB_PATTERN_ENV_NAME};
static const wb_node config_value_node = {.kind = WB_NODE_TEXT, .min = 0, .max = WB_MAX_CONFIG_VALUE_BYTES};
static const wb_node env_node = {
    .kind = WB_NODE_TEXT_MAP, .key = &env_name_node, .item = &config_value_node, .max = WB_MAX_CONFIG_ENTRIES};
static const wb_node args_node = {.kind = WB_NODE_ARRAY, .item = &config_value_node, .max = WB_MAX_CONFIG_ENTRIES};

static const wb_field config_fields[] = {
    WB_FIELD(wb_manifest_config, env, "env", &env_node),
    WB_FIELD(wb_manifest_config, args, "args", &args_node),
};
static const wb_node config_node = WB_RECORD(wb_manifest_config, config_fields, true, NULL);

static const wb_field restart_fields[] = {
    WB_FIELD(wb_restart_policy, auto_restart, "autoRestart", &wb_bool_node),
    WB_FIELD(wb_restart_policy, max_restarts, "maxRestarts", &wb_u32_node),
};
static const wb_node restart_node = WB_RECORD(wb_restart_policy, restart_fields, true, NULL);

static const wb_field manifest_fields[] = {
    WB_FIELD(wb_manifest, name, "name", &wb_id_node),
    WB_FIELD(wb_manifest, config, "config", &config_node),
    WB_FIELD(wb_manifest, sha256, "sha256", &wb_sha256_node),
    WB_OPTIONAL(wb_manifest, restart, has_restart, "restart", &restart_node),
    WB_FIELD(wb_manifest, revision, "revision", &wb_revision_node),
    WB_FIELD(wb_manifest, size_bytes, "sizeBytes", &size_node),
    WB_FIELD(wb_manifest, entry_point, "entryPoint", &entry_point_node),
    WB_FIELD(wb_manifest, host_functions, "hostFunctions", &host_functions_node),
    WB_FIELD(wb_manifest, cpu_time_limit_ms, "cpuTimeLimitMs", &wb_u32_node),
    WB_FIELD(wb_manifest, memory_limit_bytes, "memoryLimitBytes", &memory_limit_node),
};
/* Closed records: an unknown field could not be signed off on by a device that ignores it. */
const wb_node wb_manifest_node = WB_RECORD(wb_manifest, manifest_fields, true, NULL);

wb_status wb_manifest_decode(const uint8_t *bytes, size_t len, wb_manifest *out, wb_arena *arena, wb_path *path)
{
    wb_path_set(path, "manifest");
    if (len > WB_MAX_MANIFEST_BYTES) return WB_ERR_INVALID_MANIFEST;
    if (wb_cbor_check(bytes, len, WB_CBOR_DETERMINISTIC, NULL) != WB_OK) return WB_ERR_INVALID_MANIFEST;
    wb_decoder d = {{bytes, bytes + len}, arena, path, WB_ERR_INVALID_MANIFEST, 0};
    wb_status s = wb_decode_node(&d, &wb_manifest_node, out);
    if (s == WB_OK) wb_path_set(path, "");
    return s;
}

wb_status wb_manifest_encode(const wb_manifest *m, uint8_t *buf, size_t cap, size_t *out_len, wb_path *path)
{
    wb_cbor_writer w;
    wb_cbor_writer_init(&w, buf, cap);
    wb_path_set(path, "manifest");
    wb_status s = wb_encode_node(&w, &wb_manifest_node, m, WB_ERR_INVALID_MANIFEST, path);
    *out_len = w.len;
    if (s == WB_OK && w.len > WB_MAX_MANIFEST_BYTES) s = WB_ERR_INVALID_MANIFEST;
    if (s == WB_OK) wb_path_set(path, "");
    return s;
}

wb_status wb_manifest_verify(const uint8_t *bytes, size_t len, const uint8_t signature[64],
                             const uint8_t public_key[32])
{
    return wb_ed25519_verify(signature, bytes, len, public_key) ? WB_OK : WB_ERR_BAD_SIGNATURE;
}
