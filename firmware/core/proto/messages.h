/* The envelope `[version, type, msgId, correlationId, body]` and the bodies of
 * all sixteen message types of docs/protocol.md §6, decoded into and encoded
 * from plain structs. Text and byte fields point into the decoded frame, so a
 * message is valid only as long as its frame buffer. */
#ifndef WB_PROTO_MESSAGES_H
#define WB_PROTO_MESSAGES_H

#include "proto/fields.h"
#include "proto/schema.h"

typedef enum {
    WB_MSG_HELLO = 1,
    WB_MSG_WELCOME = 2,
    WB_MSG_ENROLLMENT_PENDING = 3,
    WB_MSG_REJECTED = 4,
    WB_MSG_HEARTBEAT = 5,
    WB_MSG_HEARTBEAT_ACK = 6,
    WB_MSG_DEPLOY = 7,
    WB_MSG_MODULE_REQUEST = 8,
    WB_MSG_MODULE_CHUNK = 9,
    WB_MSG_DEPLOY_RESULT = 10,
    WB_MSG_STOP = 11,
    WB_MSG_STOP_RESULT = 12,
    WB_MSG_APP_STATUS = 13,
    WB_MSG_APP_LOG = 14,
    WB_MSG_ERROR = 15,
    WB_MSG_BYE = 16,
} wb_msg_type;

#define WB_MSG_TYPE_MAX 16

typedef enum {
    WB_SENDER_DEVICE = 1,
    WB_SENDER_GATEWAY = 2,
    WB_SENDER_EITHER = 3,
} wb_sender;

typedef enum {
    WB_LOG_DEBUG,
    WB_LOG_INFO,
    WB_LOG_WARN,
    WB_LOG_ERROR,
} wb_log_level;

/* Fields are declared in the deterministic order of their keys. */

typedef struct {
    wb_slice name;
    wb_slice version;
    uint32_t max_instances;
    wb_list host_functions; /* of wb_slice */
    uint32_t max_module_bytes;
} wb_runtime_info;

typedef struct {
    wb_list apps; /* of wb_app_summary */
    wb_slice arch;
    wb_slice board;
    wb_runtime_info runtime;
    bool has_features;
    wb_list features; /* of wb_slice (codes): optional behaviours, e.g. "redirect" */
    wb_slice firmware;
    uint64_t ram_bytes;
    uint32_t max_frame_bytes;
} wb_hello;

typedef struct {
    wb_slice device_id;
    wb_slice gateway_id;
    uint64_t server_time_ms;
    uint32_t heartbeat_interval_ms;
} wb_welcome;

typedef struct {
    wb_slice reason;
    uint32_t retry_after_ms;
} wb_enrollment_pending;

typedef struct {
    wb_slice code;
    wb_slice reason;
} wb_rejected;

typedef struct {
    uint32_t seq;
    wb_list apps; /* of wb_app_summary */
    uint64_t uptime_ms;
    uint64_t free_memory_bytes;
} wb_heartbeat;

typedef struct {
    uint32_t seq;
    uint64_t server_time_ms;
} wb_heartbeat_ack;

typedef struct {
    wb_slice app_id;
    wb_slice manifest;
    uint32_t revision;
    wb_slice signature;
    wb_slice publisher_key;
} wb_deploy;

typedef struct {
    wb_slice app_id;
    uint32_t offset;
    uint32_t max_bytes;
    uint32_t revision;
} wb_module_request;

typedef struct {
    wb_slice data;
    wb_slice app_id;
    uint32_t offset;
    uint32_t revision;
    uint32_t total_bytes;
} wb_module_chunk;

typedef struct {
    bool ok;
    wb_slice app_id;
    bool has_error;
    wb_error_info error;
    bool has_sha256;
    wb_slice sha256;
    uint32_t revision;
} wb_deploy_result;

typedef struct {
    wb_slice app_id;
} wb_stop;

typedef struct {
    bool ok;
    wb_slice app_id;
    bool has_error;
    wb_error_info error;
} wb_stop_result;

typedef struct {
    wb_slice app_id;
    bool has_error;
    wb_error_info error;
    uint8_t state; /* wb_app_state */
    uint32_t restarts;
    uint32_t revision;
} wb_app_status;

typedef struct {
    wb_slice app_id;
    uint8_t level; /* wb_log_level */
    uint64_t time_ms;
    wb_slice message;
} wb_app_log;

typedef struct {
    wb_slice code;
    bool fatal;
    wb_slice message;
    bool has_supported_versions;
    wb_list supported_versions; /* of uint32_t */
} wb_error_msg;

typedef struct {
    wb_slice reason;
    bool has_endpoint;
    wb_slice endpoint; /* "host:port" of the gateway to use next (reason "rebalance") */
    bool has_retry_after_ms;
    uint32_t retry_after_ms;
} wb_bye;

typedef struct {
    uint32_t version;
    uint32_t type; /* wb_msg_type */
    uint32_t msg_id;
    uint32_t correlation_id;
    union {
        wb_hello hello;
        wb_welcome welcome;
        wb_enrollment_pending enrollment_pending;
        wb_rejected rejected;
        wb_heartbeat heartbeat;
        wb_heartbeat_ack heartbeat_ack;
        wb_deploy deploy;
        wb_module_request module_request;
        wb_module_chunk module_chunk;
        wb_deploy_result deploy_result;
        wb_stop stop;
        wb_stop_result stop_result;
        wb_app_status app_status;
        wb_app_log app_log;
        wb_error_msg error;
        wb_bye bye;
    } body;
} wb_message;

/* Why decoding failed: the status, the field (e.g. "body.apps[0].sha256") and,
 * once the envelope was readable, its msgId and type (to answer unknown_type). */
typedef struct {
    wb_path path;
    uint32_t msg_id;
    uint32_t type;
    /* Keys of open records that were ignored (forward compatibility). */
    uint32_t unknown_keys;
} wb_decode_info;

typedef struct {
    const char *name; /* "Hello", as in the spec */
    wb_sender sender;
    const wb_node *body;
} wb_msg_kind;

/* The catalog entry of a type code, or NULL for a code the device does not know. */
const wb_msg_kind *wb_msg_kind_of(uint32_t type);

/* Decodes one frame payload (prefix excluded). Errors: invalid_cbor,
 * invalid_message (info->path), unsupported_version, unknown_type (info->msg_id
 * lets the receiver answer and keep counting), no_space (arena too small for
 * the message's arrays). `arena` may be NULL for messages without arrays. */
wb_status wb_message_decode(const uint8_t *payload, size_t len, wb_message *out, wb_arena *arena, wb_decode_info *info);

/* decode, then reject a message whose type the peer `from` never sends (unexpected_message). */
wb_status wb_message_decode_from(wb_sender from, const uint8_t *payload, size_t len, wb_message *out, wb_arena *arena,
                                 wb_decode_info *info);

/* Validates and encodes `m` deterministically (no prefix). `path` (may be NULL)
 * names the invalid field on invalid_message; no_space when `cap` is too small
 * (`*out_len` is then the size needed). */
wb_status wb_message_encode(const wb_message *m, uint8_t *buf, size_t cap, size_t *out_len, wb_path *path);

/* wb_message_encode with the 4-byte length prefix in front. */
wb_status wb_message_encode_frame(const wb_message *m, uint8_t *buf, size_t cap, size_t *out_len, wb_path *path);

#endif
