/* Wasmbed host ABI v1 for C apps (see docs/app-abi.md). Build with
 *   clang --target=wasm32 -mcpu=mvp -nostdlib -Wl,--no-entry -Wl,--export=run
 * so that the module uses WebAssembly MVP features only. */
#ifndef WASMBED_H
#define WASMBED_H

#include <stdint.h>

#define WASMBED_IMPORT(name) __attribute__((import_module("wasmbed"), import_name(name)))

enum wasmbed_log_level { WASMBED_DEBUG = 0, WASMBED_INFO = 1, WASMBED_WARN = 2, WASMBED_ERROR = 3 };

/* config_get results besides the number of bytes written. */
#define WASMBED_CONFIG_MISSING (-1)
#define WASMBED_CONFIG_TOO_SMALL (-2)

enum wasmbed_sensor { WASMBED_TEMPERATURE_MC = 0, WASMBED_HUMIDITY_MPCT = 1, WASMBED_LIGHT_MLX = 2 };
#define WASMBED_SENSOR_UNAVAILABLE INT32_MIN

WASMBED_IMPORT("log") void wasmbed_log(int32_t level, const char *message, uint32_t len);
WASMBED_IMPORT("now_ms") int64_t wasmbed_now_ms(void);
WASMBED_IMPORT("sleep_ms") void wasmbed_sleep_ms(int32_t ms);
WASMBED_IMPORT("config_get")
int32_t wasmbed_config_get(const char *key, uint32_t key_len, char *buf, uint32_t buf_len);
WASMBED_IMPORT("sensor_read") int32_t wasmbed_sensor_read(int32_t channel);
WASMBED_IMPORT("random_u32") uint32_t wasmbed_random_u32(void);

#endif
