/* Types shared by several bodies and the manifest (docs/protocol.md §5). */
#ifndef WB_PROTO_FIELDS_H
#define WB_PROTO_FIELDS_H

#include "proto/schema.h"

typedef enum {
    WB_APP_STARTING,
    WB_APP_RUNNING,
    WB_APP_STOPPED,
    WB_APP_FAILED,
} wb_app_state;

typedef struct {
    wb_slice code;
    wb_slice message;
} wb_error_info;

/* One application a device holds (Hello and Heartbeat `apps`). */
typedef struct {
    wb_slice app_id;
    bool has_error;
    wb_error_info error;
    uint8_t state; /* wb_app_state */
    wb_slice sha256;
    uint32_t restarts;
    uint32_t revision;
} wb_app_summary;

extern const wb_node wb_id_node;
extern const wb_node wb_code_node;
extern const wb_node wb_short_text_node;
extern const wb_node wb_reason_node;
extern const wb_node wb_host_function_node;
extern const wb_node wb_sha256_node;
extern const wb_node wb_u32_node;
extern const wb_node wb_u53_node;
extern const wb_node wb_revision_node;
extern const wb_node wb_bool_node;
extern const wb_node wb_app_state_node;
extern const wb_node wb_error_info_node;
extern const wb_node wb_app_summary_node;
extern const wb_node wb_app_list_node;

#endif
