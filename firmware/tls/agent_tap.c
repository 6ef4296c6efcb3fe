#include <inttypes.h>
#include <stdio.h>

#include "agent_tap.h"
#include "proto/messages.h"

static const char *const state_names[] = {"starting", "running", "stopped", "failed"};

static void print_hex(wb_slice s)
{
    for (size_t i = 0; i < s.len; i++) printf("%02x", s.ptr[i]);
}

static void print_error(bool has_error, const wb_error_info *e)
{
    if (has_error) printf(" %.*s: %.*s", (int)e->code.len, (const char *)e->code.ptr, (int)e->message.len,
                          (const char *)e->message.ptr);
}

static void print_message(const wb_message *m, uint32_t now)
{
    switch (m->type) {
    case WB_MSG_DEPLOY_RESULT: {
        const wb_deploy_result *r = &m->body.deploy_result;
        printf("deploy: %.*s rev %" PRIu32 " %s", (int)r->app_id.len, (const char *)r->app_id.ptr, r->revision,
               r->ok ? "ok" : "refused");
        if (r->has_sha256) {
            printf(" sha256 ");
            print_hex(r->sha256);
        }
        print_error(r->has_error, &r->error);
        printf(" at %" PRIu32 " ms\n", now);
        break;
    }
    case WB_MSG_APP_STATUS: {
        const wb_app_status *st = &m->body.app_status;
        printf("app: %.*s rev %" PRIu32 " %s restarts %" PRIu32, (int)st->app_id.len, (const char *)st->app_id.ptr,
               st->revision, st->state < 4 ? state_names[st->state] : "?", st->restarts);
        print_error(st->has_error, &st->error);
        printf(" at %" PRIu32 " ms\n", now);
        break;
    }
    case WB_MSG_MODULE_REQUEST: {
        const wb_module_request *r = &m->body.module_request;
        printf("module: %.*s rev %" PRIu32 " requesting offset %" PRIu32 " at %" PRIu32 " ms\n", (int)r->app_id.len,
               (const char *)r->app_id.ptr, r->revision, r->offset, now);
        break;
    }
    case WB_MSG_STOP_RESULT: {
        const wb_stop_result *r = &m->body.stop_result;
        printf("stop: %.*s %s", (int)r->app_id.len, (const char *)r->app_id.ptr, r->ok ? "ok" : "refused");
        print_error(r->has_error, &r->error);
        printf("\n");
        break;
    }
    default:
        break;
    }
}

void wb_agent_tap_device_frames(const uint8_t *frames, size_t len, uint64_t now)
{
    size_t at = 0;
    while (len - at >= 4) {
        uint32_t n = (uint32_t)frames[at] << 24 | (uint32_t)frames[at + 1] << 16 | (uint32_t)frames[at + 2] << 8 |
                     frames[at + 3];
        at += 4;
        if (n > len - at) return;
        /* Only bodies without arrays are printed; Hello and Heartbeat may not fit the arena (no_space): skipped. */
        uint64_t arena_mem[8];
        wb_arena arena;
        wb_arena_init(&arena, arena_mem, sizeof arena_mem);
        wb_message m;
        wb_decode_info info;
        if (wb_message_decode_from(WB_SENDER_DEVICE, frames + at, n, &m, &arena, &info) == WB_OK) {
            print_message(&m, (uint32_t)now);
        }
        at += n;
    }
}
