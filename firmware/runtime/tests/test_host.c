#include "test_host.h"

#include <stdio.h>
#include <stdlib.h>

#include "host_board.h"
#include "wasm_app.h"

uint8_t *test_read_file(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    long size = -1;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    uint8_t *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (buf == NULL || fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    *len = (uint32_t)size;
    return buf;
}

uint8_t *test_read_module(const char *dir, const char *name, uint32_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
    return test_read_file(path, len);
}

uint32_t test_xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

void test_idle(void *sleeper, uint64_t until_ms)
{
    const test_sleeper *s = sleeper;
    if (s->stop_at_ms != 0 && until_ms >= s->start_ms + s->stop_at_ms) {
        host_board_skip_to(s->start_ms + s->stop_at_ms);
        wb_app_request_stop();
        return;
    }
    host_board_skip_to(until_ms);
}
