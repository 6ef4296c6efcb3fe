#include "proto/fields.h"
#include "proto/limits.h"

const wb_node wb_id_node = {.kind = WB_NODE_TEXT, .min = 1, .max = WB_MAX_ID_BYTES, .pattern = WB_PATTERN_ID};
const wb_node wb_code_node = {.kind = WB_NODE_TEXT, .min = 1, .max = WB_MAX_CODE_BYTES, .pattern = WB_PATTERN_CODE};
const wb_node wb_short_text_node = {.kind = WB_NODE_TEXT, .min = 1, .max = WB_MAX_SHORT_TEXT_BYTES};
const wb_node wb_reason_node = {.kind = WB_NODE_TEXT, .min = 0, .max = WB_MAX_REASON_BYTES};
const wb_node wb_host_function_node = {
    .kind = WB_NODE_TEXT, .min = 1, .max = WB_MAX_HOST_FUNCTION_BYTES, .pattern = WB_PATTERN_HOST_FUNCTION};
const wb_node wb_sha256_node = {.kind = WB_NODE_BYTES, .min = 32, .max = 32};
const wb_node wb_u32_node = {.kind = WB_NODE_UINT, .min = 0, .max = WB_MAX_U32};
const wb_node wb_u53_node = {.kind = WB_NODE_UINT, .min = 0, .max = WB_MAX_U53};
const wb_node wb_revision_node = {.kind = WB_NODE_UINT, .min = 1, .max = WB_MAX_U32};
const wb_node wb_bool_node = {.kind = WB_NODE_BOOL};

static const char *const app_states[] = {"starting", "running", "stopped", "failed"};
const wb_node wb_app_state_node = {.kind = WB_NODE_ENUM, .values = app_states, .count = WB_COUNT(app_states)};

static const wb_field error_info_fields[] = {
    WB_FIELD(wb_error_info, code, "code", &wb_code_node),
    WB_FIELD(wb_error_info, message, "message", &wb_reason_node),
};
const wb_node wb_error_info_node = WB_RECORD(wb_error_info, error_info_fields, false, NULL);

static const wb_field app_summary_fields[] = {
    WB_FIELD(wb_app_summary, app_id, "appId", &wb_id_node),
    WB_OPTIONAL(wb_app_summary, error, has_error, "error", &wb_error_info_node),
    WB_FIELD(wb_app_summary, state, "state", &wb_app_state_node),
    WB_FIELD(wb_app_summary, sha256, "sha256", &wb_sha256_node),
    WB_FIELD(wb_app_summary, restarts, "restarts", &wb_u32_node),
    WB_FIELD(wb_app_summary, revision, "revision", &wb_revision_node),
};
const wb_node wb_app_summary_node = WB_RECORD(wb_app_summary, app_summary_fields, false, NULL);

const wb_node wb_app_list_node = {.kind = WB_NODE_ARRAY, .item = &wb_app_summary_node, .max = WB_MAX_APPS};
