#include "proto/status.h"

const char *wb_status_code(wb_status status)
{
    switch (status) {
    case WB_OK: return "ok";
    case WB_ERR_MALFORMED_FRAME: return "malformed_frame";
    case WB_ERR_FRAME_TOO_LARGE: return "frame_too_large";
    case WB_ERR_INVALID_CBOR: return "invalid_cbor";
    case WB_ERR_INVALID_MESSAGE: return "invalid_message";
    case WB_ERR_UNSUPPORTED_VERSION: return "unsupported_version";
    case WB_ERR_UNKNOWN_TYPE: return "unknown_type";
    case WB_ERR_UNEXPECTED_MESSAGE: return "unexpected_message";
    case WB_ERR_INVALID_MANIFEST: return "invalid_manifest";
    case WB_ERR_BAD_SIGNATURE: return "bad_signature";
    case WB_ERR_NO_SPACE:
    case WB_ERR_INVALID_ARGUMENT: break;
    }
    return "internal";
}
