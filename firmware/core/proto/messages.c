/* Envelope decoding and encoding (docs/protocol.md §5), in the reference
 * implementation's order of checks: CBOR profile, envelope shape, version, type,
 * msgId, correlationId, known type, body. */
#include <string.h>

#include "proto/limits.h"
#include "proto/messages.h"

static wb_status fail_at(wb_decode_info *info, wb_status status, const char *path)
{
    wb_path_set(&info->path, path);
    return status;
}

static bool read_uint(wb_cbor_reader *r, uint64_t min, uint64_t max, uint32_t *out)
{
    wb_cbor_head h;
    if (wb_cbor_read_head(r, &h) != WB_OK || h.major != WB_CBOR_UINT || h.arg < min || h.arg > max) return false;
    *out = (uint32_t)h.arg;
    return true;
}

wb_status wb_message_decode(const uint8_t *payload, size_t len, wb_message *out, wb_arena *arena, wb_decode_info *info)
{
    memset(info, 0, sizeof *info);
    memset(out, 0, sizeof *out);
    if (wb_cbor_check(payload, len, 0, NULL) != WB_OK) return WB_ERR_INVALID_CBOR;

    wb_cbor_reader r;
    wb_cbor_reader_init(&r, payload, len);
    wb_cbor_head h;
    if (wb_cbor_read_head(&r, &h) != WB_OK || h.major != WB_CBOR_ARRAY || h.arg != 5) {
        return fail_at(info, WB_ERR_INVALID_MESSAGE, "envelope");
    }
    if (wb_cbor_read_head(&r, &h) != WB_OK || h.major != WB_CBOR_UINT || h.arg > WB_MAX_U53) {
        return fail_at(info, WB_ERR_INVALID_MESSAGE, "version");
    }
    if (h.arg != WB_PROTOCOL_VERSION) return WB_ERR_UNSUPPORTED_VERSION;
    out->version = WB_PROTOCOL_VERSION;
    if (!read_uint(&r, 0, WB_MAX_U32, &out->type)) return fail_at(info, WB_ERR_INVALID_MESSAGE, "type");
    if (!read_uint(&r, 1, WB_MAX_U32, &out->msg_id)) return fail_at(info, WB_ERR_INVALID_MESSAGE, "msgId");
    info->msg_id = out->msg_id;
    info->type = out->type;
    if (!read_uint(&r, 0, WB_MAX_U32, &out->correlation_id)) {
        return fail_at(info, WB_ERR_INVALID_MESSAGE, "correlationId");
    }
    const wb_msg_kind *kind = wb_msg_kind_of(out->type);
    if (kind == NULL) return WB_ERR_UNKNOWN_TYPE;

    wb_path_set(&info->path, "body");
    wb_decoder d = {r, arena, &info->path, WB_ERR_INVALID_MESSAGE, 0};
    wb_status s = wb_decode_node(&d, kind->body, &out->body);
    info->unknown_keys = d.unknown_keys;
    if (s == WB_OK) wb_path_set(&info->path, "");
    return s;
}

wb_status wb_message_decode_from(wb_sender from, const uint8_t *payload, size_t len, wb_message *out, wb_arena *arena,
                                 wb_decode_info *info)
{
    wb_status s = wb_message_decode(payload, len, out, arena, info);
    if (s != WB_OK) return s;
    const wb_msg_kind *kind = wb_msg_kind_of(out->type);
    return (kind->sender & from) ? WB_OK : WB_ERR_UNEXPECTED_MESSAGE;
}

wb_status wb_message_encode(const wb_message *m, uint8_t *buf, size_t cap, size_t *out_len, wb_path *path)
{
    wb_path_set(path, "");
    const wb_msg_kind *kind = wb_msg_kind_of(m->type);
    if (kind == NULL) {
        wb_path_set(path, "type");
        return WB_ERR_UNKNOWN_TYPE;
    }
    if (m->msg_id == 0) {
        wb_path_set(path, "msgId");
        return WB_ERR_INVALID_MESSAGE;
    }
    wb_cbor_writer w;
    wb_cbor_writer_init(&w, buf, cap);
    wb_cbor_put_head(&w, WB_CBOR_ARRAY, 5);
    wb_cbor_put_uint(&w, WB_PROTOCOL_VERSION);
    wb_cbor_put_uint(&w, m->type);
    wb_cbor_put_uint(&w, m->msg_id);
    wb_cbor_put_uint(&w, m->correlation_id);
    wb_path_set(path, "body");
    wb_status s = wb_encode_node(&w, kind->body, &m->body, WB_ERR_INVALID_MESSAGE, path);
    *out_len = w.len;
    if (s == WB_OK) wb_path_set(path, "");
    return s;
}

wb_status wb_message_encode_frame(const wb_message *m, uint8_t *buf, size_t cap, size_t *out_len, wb_path *path)
{
    if (cap < WB_FRAME_PREFIX_BYTES) {
        *out_len = WB_FRAME_PREFIX_BYTES;
        return WB_ERR_NO_SPACE;
    }
    size_t len = 0;
    wb_status s = wb_message_encode(m, buf + WB_FRAME_PREFIX_BYTES, cap - WB_FRAME_PREFIX_BYTES, &len, path);
    *out_len = len + WB_FRAME_PREFIX_BYTES;
    if (s != WB_OK) return s;
    buf[0] = (uint8_t)(len >> 24);
    buf[1] = (uint8_t)(len >> 16);
    buf[2] = (uint8_t)(len >> 8);
    buf[3] = (uint8_t)len;
    return WB_OK;
}
