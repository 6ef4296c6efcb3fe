#include "host_functions.h"

#include <stdio.h>
#include <string.h>

const wb_host_function_info wb_host_functions[WB_HF_COUNT] = {
    [WB_HF_CONFIG_GET] = {"config_get", WB_HOST_MODULE ".config_get", "iiii", "i"},
    [WB_HF_LOG] = {"log", WB_HOST_MODULE ".log", "iii", ""},
    [WB_HF_NOW_MS] = {"now_ms", WB_HOST_MODULE ".now_ms", "", "I"},
    [WB_HF_RANDOM_U32] = {"random_u32", WB_HOST_MODULE ".random_u32", "", "i"},
    [WB_HF_SENSOR_READ] = {"sensor_read", WB_HOST_MODULE ".sensor_read", "i", "i"},
    [WB_HF_SLEEP_MS] = {"sleep_ms", WB_HOST_MODULE ".sleep_ms", "i", ""},
};

static bool same(const uint8_t *bytes, size_t len, const char *text)
{
    return strlen(text) == len && memcmp(bytes, text, len) == 0;
}

int wb_host_function_find(const uint8_t *name, size_t len)
{
    for (int i = 0; i < WB_HF_COUNT; i++) {
        if (same(name, len, wb_host_functions[i].name)) return i;
    }
    return -1;
}

uint32_t wb_host_function_mask(const wb_list *qualified_names, const wb_slice **unknown)
{
    uint32_t mask = 0;
    *unknown = NULL;
    const wb_slice *names = qualified_names->items;
    for (uint32_t i = 0; i < qualified_names->count; i++) {
        int found = -1;
        for (int f = 0; f < WB_HF_COUNT && found < 0; f++) {
            if (same(names[i].ptr, names[i].len, wb_host_functions[f].qualified)) found = f;
        }
        if (found >= 0) {
            mask |= 1u << found;
        } else if (*unknown == NULL) {
            *unknown = &names[i];
        }
    }
    return mask;
}

void wb_host_function_list(uint32_t mask, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (int f = 0; f < WB_HF_COUNT; f++) {
        if ((mask & (1u << f)) == 0) continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used > 0 ? ", " : "", wb_host_functions[f].qualified);
        if (n < 0 || (size_t)n >= cap - used) return;
        used += (size_t)n;
    }
}
