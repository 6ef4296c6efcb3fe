/* Body schemas of every message type (docs/protocol.md §6.1, §6.2) and the
 * catalog of type codes. */
#include <stddef.h>

#include "proto/limits.h"
#include "proto/messages.h"

static const wb_node max_frame_node = {.kind = WB_NODE_UINT, .min = WB_MIN_DEVICE_FRAME_BYTES, .max = WB_MAX_U32};
static const wb_node max_instances_node = {.kind = WB_NODE_UINT, .min = 0, .max = WB_MAX_APPS};
static const wb_node host_function_set_node = {
    .kind = WB_NODE_ARRAY, .item = &wb_host_function_node, .max = WB_MAX_HOST_FUNCTIONS, .order = WB_ORDER_UNIQUE};
static const wb_node seq_node = {.kind = WB_NODE_UINT, .min = 1, .max = WB_MAX_U32};
static const wb_node heartbeat_interval_node = {
    .kind = WB_NODE_UINT, .min = WB_MIN_HEARTBEAT_INTERVAL_MS, .max = WB_MAX_HEARTBEAT_INTERVAL_MS};
static const wb_node retry_after_node = {.kind = WB_NODE_UINT, .min = WB_MIN_RETRY_AFTER_MS, .max = WB_MAX_RETRY_AFTER_MS};
static const wb_node manifest_bytes_node = {.kind = WB_NODE_BYTES, .min = 1, .max = WB_MAX_MANIFEST_BYTES};
static const wb_node signature_node = {.kind = WB_NODE_BYTES, .min = 64, .max = 64};
static const wb_node public_key_node = {.kind = WB_NODE_BYTES, .min = 32, .max = 32};
static const wb_node offset_node = {.kind = WB_NODE_UINT, .min = 0, .max = WB_MAX_U32 - 1};
static const wb_node max_bytes_node = {.kind = WB_NODE_UINT, .min = 1, .max = WB_MAX_CHUNK_DATA_BYTES};
static const wb_node chunk_data_node = {.kind = WB_NODE_BYTES, .min = 1, .max = WB_MAX_CHUNK_DATA_BYTES};
static const wb_node total_bytes_node = {.kind = WB_NODE_UINT, .min = 1, .max = WB_MAX_U32};
static const wb_node log_message_node = {.kind = WB_NODE_TEXT, .min = 0, .max = WB_MAX_LOG_MESSAGE_BYTES};
static const wb_node version_node = {.kind = WB_NODE_UINT, .min = 1, .max = 0xffff};
static const wb_node supported_versions_node = {
    .kind = WB_NODE_ARRAY, .item = &version_node, .max = WB_MAX_SUPPORTED_VERSIONS, .order = WB_ORDER_UNIQUE};

static const wb_node feature_list_node = {
    .kind = WB_NODE_ARRAY, .item = &wb_code_node, .max = WB_MAX_FEATURES, .order = WB_ORDER_UNIQUE};
static const wb_node endpoint_node = {
    .kind = WB_NODE_TEXT, .min = WB_MIN_ENDPOINT_BYTES, .max = WB_MAX_ENDPOINT_BYTES, .pattern = WB_PATTERN_ENDPOINT};

static const char *const log_levels[] = {"debug", "info", "warn", "error"};
static const wb_node log_level_node = {.kind = WB_NODE_ENUM, .values = log_levels, .count = WB_COUNT(log_levels)};

static const wb_field runtime_fields[] = {
    WB_FIELD(wb_runtime_info, name, "name", &wb_short_text_node),
    WB_FIELD(wb_runtime_info, version, "version", &wb_short_text_node),
    WB_FIELD(wb_runtime_info, max_instances, "maxInstances", &max_instances_node),
    WB_FIELD(wb_runtime_info, host_functions, "hostFunctions", &host_function_set_node),
    WB_FIELD(wb_runtime_info, max_module_bytes, "maxModuleBytes", &wb_u32_node),
};
static const wb_node runtime_node = WB_RECORD(wb_runtime_info, runtime_fields, false, NULL);

static const wb_field hello_fields[] = {
    WB_FIELD(wb_hello, apps, "apps", &wb_app_list_node),
    WB_FIELD(wb_hello, arch, "arch", &wb_short_text_node),
    WB_FIELD(wb_hello, board, "board", &wb_short_text_node),
    WB_FIELD(wb_hello, runtime, "runtime", &runtime_node),
    WB_OPTIONAL(wb_hello, features, has_features, "features", &feature_list_node),
    WB_FIELD(wb_hello, firmware, "firmware", &wb_short_text_node),
    WB_FIELD(wb_hello, ram_bytes, "ramBytes", &wb_u53_node),
    WB_FIELD(wb_hello, max_frame_bytes, "maxFrameBytes", &max_frame_node),
};

static const wb_field welcome_fields[] = {
    WB_FIELD(wb_welcome, device_id, "deviceId", &wb_id_node),
    WB_FIELD(wb_welcome, gateway_id, "gatewayId", &wb_id_node),
    WB_FIELD(wb_welcome, server_time_ms, "serverTimeMs", &wb_u53_node),
    WB_FIELD(wb_welcome, heartbeat_interval_ms, "heartbeatIntervalMs", &heartbeat_interval_node),
};

static const wb_field enrollment_pending_fields[] = {
    WB_FIELD(wb_enrollment_pending, reason, "reason", &wb_reason_node),
    WB_FIELD(wb_enrollment_pending, retry_after_ms, "retryAfterMs", &retry_after_node),
};

static const wb_field rejected_fields[] = {
    WB_FIELD(wb_rejected, code, "code", &wb_code_node),
    WB_FIELD(wb_rejected, reason, "reason", &wb_reason_node),
};

static const wb_field heartbeat_fields[] = {
    WB_FIELD(wb_heartbeat, seq, "seq", &seq_node),
    WB_FIELD(wb_heartbeat, apps, "apps", &wb_app_list_node),
    WB_FIELD(wb_heartbeat, uptime_ms, "uptimeMs", &wb_u53_node),
    WB_FIELD(wb_heartbeat, free_memory_bytes, "freeMemoryBytes", &wb_u53_node),
};

static const wb_field heartbeat_ack_fields[] = {
    WB_FIELD(wb_heartbeat_ack, seq, "seq", &seq_node),
    WB_FIELD(wb_heartbeat_ack, server_time_ms, "serverTimeMs", &wb_u53_node),
};

static const wb_field deploy_fields[] = {
    WB_FIELD(wb_deploy, app_id, "appId", &wb_id_node),
    WB_FIELD(wb_deploy, manifest, "manifest", &manifest_bytes_node),
    WB_FIELD(wb_deploy, revision, "revision", &wb_revision_node),
    WB_FIELD(wb_deploy, signature, "signature", &signature_node),
    WB_FIELD(wb_deploy, publisher_key, "publisherKey", &public_key_node),
};

static const wb_field module_request_fields[] = {
    WB_FIELD(wb_module_request, app_id, "appId", &wb_id_node),
    WB_FIELD(wb_module_request, offset, "offset", &offset_node),
    WB_FIELD(wb_module_request, max_bytes, "maxBytes", &max_bytes_node),
    WB_FIELD(wb_module_request, revision, "revision", &wb_revision_node),
};

static const wb_field module_chunk_fields[] = {
    WB_FIELD(wb_module_chunk, data, "data", &chunk_data_node),
    WB_FIELD(wb_module_chunk, app_id, "appId", &wb_id_node),
    WB_FIELD(wb_module_chunk, offset, "offset", &offset_node),
    WB_FIELD(wb_module_chunk, revision, "revision", &wb_revision_node),
    WB_FIELD(wb_module_chunk, total_bytes, "totalBytes", &total_bytes_node),
};

static const char *chunk_rule(const void *record)
{
    const wb_module_chunk *c = record;
    return (uint64_t)c->offset + c->data.len > c->total_bytes ? "data" : NULL;
}

static const wb_field deploy_result_fields[] = {
    WB_FIELD(wb_deploy_result, ok, "ok", &wb_bool_node),
    WB_FIELD(wb_deploy_result, app_id, "appId", &wb_id_node),
    WB_OPTIONAL(wb_deploy_result, error, has_error, "error", &wb_error_info_node),
    WB_OPTIONAL(wb_deploy_result, sha256, has_sha256, "sha256", &wb_sha256_node),
    WB_FIELD(wb_deploy_result, revision, "revision", &wb_revision_node),
};

/* ok ⇒ no error (and the hash, for DeployResult); not ok ⇒ an error saying why. */
static const char *outcome_rule(bool ok, bool has_error, bool needs_hash, bool has_hash)
{
    if (ok && has_error) return "error";
    if (ok && needs_hash && !has_hash) return "sha256";
    if (!ok && !has_error) return "error";
    return NULL;
}

static const char *deploy_result_rule(const void *record)
{
    const wb_deploy_result *r = record;
    return outcome_rule(r->ok, r->has_error, true, r->has_sha256);
}

static const wb_field stop_fields[] = {
    WB_FIELD(wb_stop, app_id, "appId", &wb_id_node),
};

static const wb_field stop_result_fields[] = {
    WB_FIELD(wb_stop_result, ok, "ok", &wb_bool_node),
    WB_FIELD(wb_stop_result, app_id, "appId", &wb_id_node),
    WB_OPTIONAL(wb_stop_result, error, has_error, "error", &wb_error_info_node),
};

static const char *stop_result_rule(const void *record)
{
    const wb_stop_result *r = record;
    return outcome_rule(r->ok, r->has_error, false, false);
}

static const wb_field app_status_fields[] = {
    WB_FIELD(wb_app_status, app_id, "appId", &wb_id_node),
    WB_OPTIONAL(wb_app_status, error, has_error, "error", &wb_error_info_node),
    WB_FIELD(wb_app_status, state, "state", &wb_app_state_node),
    WB_FIELD(wb_app_status, restarts, "restarts", &wb_u32_node),
    WB_FIELD(wb_app_status, revision, "revision", &wb_revision_node),
};

static const wb_field app_log_fields[] = {
    WB_FIELD(wb_app_log, app_id, "appId", &wb_id_node),
    WB_FIELD(wb_app_log, level, "level", &log_level_node),
    WB_FIELD(wb_app_log, time_ms, "timeMs", &wb_u53_node),
    WB_FIELD(wb_app_log, message, "message", &log_message_node),
};

static const wb_field error_fields[] = {
    WB_FIELD(wb_error_msg, code, "code", &wb_code_node),
    WB_FIELD(wb_error_msg, fatal, "fatal", &wb_bool_node),
    WB_FIELD(wb_error_msg, message, "message", &wb_reason_node),
    WB_OPTIONAL(wb_error_msg, supported_versions, has_supported_versions, "supportedVersions", &supported_versions_node),
};

static const wb_field bye_fields[] = {
    WB_FIELD(wb_bye, reason, "reason", &wb_code_node),
    WB_OPTIONAL(wb_bye, endpoint, has_endpoint, "endpoint", &endpoint_node),
    WB_OPTIONAL(wb_bye, retry_after_ms, has_retry_after_ms, "retryAfterMs", &retry_after_node),
};

static const wb_node bodies[WB_MSG_TYPE_MAX] = {
    WB_RECORD(wb_hello, hello_fields, false, NULL),
    WB_RECORD(wb_welcome, welcome_fields, false, NULL),
    WB_RECORD(wb_enrollment_pending, enrollment_pending_fields, false, NULL),
    WB_RECORD(wb_rejected, rejected_fields, false, NULL),
    WB_RECORD(wb_heartbeat, heartbeat_fields, false, NULL),
    WB_RECORD(wb_heartbeat_ack, heartbeat_ack_fields, false, NULL),
    WB_RECORD(wb_deploy, deploy_fields, false, NULL),
    WB_RECORD(wb_module_request, module_request_fields, false, NULL),
    WB_RECORD(wb_module_chunk, module_chunk_fields, false, chunk_rule),
    WB_RECORD(wb_deploy_result, deploy_result_fields, false, deploy_result_rule),
    WB_RECORD(wb_stop, stop_fields, false, NULL),
    WB_RECORD(wb_stop_result, stop_result_fields, false, stop_result_rule),
    WB_RECORD(wb_app_status, app_status_fields, false, NULL),
    WB_RECORD(wb_app_log, app_log_fields, false, NULL),
    WB_RECORD(wb_error_msg, error_fields, false, NULL),
    WB_RECORD(wb_bye, bye_fields, false, NULL),
};

static const wb_msg_kind catalog[WB_MSG_TYPE_MAX] = {
    {"Hello", WB_SENDER_DEVICE, &bodies[0]},
    {"Welcome", WB_SENDER_GATEWAY, &bodies[1]},
    {"EnrollmentPending", WB_SENDER_GATEWAY, &bodies[2]},
    {"Rejected", WB_SENDER_GATEWAY, &bodies[3]},
    {"Heartbeat", WB_SENDER_DEVICE, &bodies[4]},
    {"HeartbeatAck", WB_SENDER_GATEWAY, &bodies[5]},
    {"Deploy", WB_SENDER_GATEWAY, &bodies[6]},
    {"ModuleRequest", WB_SENDER_DEVICE, &bodies[7]},
    {"ModuleChunk", WB_SENDER_GATEWAY, &bodies[8]},
    {"DeployResult", WB_SENDER_DEVICE, &bodies[9]},
    {"Stop", WB_SENDER_GATEWAY, &bodies[10]},
    {"StopResult", WB_SENDER_DEVICE, &bodies[11]},
    {"AppStatus", WB_SENDER_DEVICE, &bodies[12]},
    {"AppLog", WB_SENDER_DEVICE, &bodies[13]},
    {"Error", WB_SENDER_EITHER, &bodies[14]},
    {"Bye", WB_SENDER_GATEWAY, &bodies[15]},
};

const wb_msg_kind *wb_msg_kind_of(uint32_t type)
{
    return type >= 1 && type <= WB_MSG_TYPE_MAX ? &catalog[type - 1] : NULL;
}
