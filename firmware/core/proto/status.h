/* Outcome of protocol operations. The error values map one to one to the
 * protocol error codes of docs/protocol.md §9 (wb_status_code), except the two
 * local ones (no_space, invalid_argument), which report a caller's mistake. */
#ifndef WB_PROTO_STATUS_H
#define WB_PROTO_STATUS_H

typedef enum {
    WB_OK = 0,
    WB_ERR_MALFORMED_FRAME,
    WB_ERR_FRAME_TOO_LARGE,
    WB_ERR_INVALID_CBOR,
    WB_ERR_INVALID_MESSAGE,
    WB_ERR_UNSUPPORTED_VERSION,
    WB_ERR_UNKNOWN_TYPE,
    WB_ERR_UNEXPECTED_MESSAGE,
    WB_ERR_INVALID_MANIFEST,
    WB_ERR_BAD_SIGNATURE,
    /* An output buffer or decode arena is too small. */
    WB_ERR_NO_SPACE,
    /* The caller passed something the API does not accept. */
    WB_ERR_INVALID_ARGUMENT,
} wb_status;

/* The protocol's code for a status ("invalid_cbor", ...); "internal" for the local ones. */
const char *wb_status_code(wb_status status);

#endif
