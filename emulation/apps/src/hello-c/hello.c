/* hello-c: the hello app in C, proving the clang --target=wasm32 path. Same
 * behaviour and log lines as hello.wat, so tests can compare the two. */
#include "../lib/wasmbed.h"

#define LITERAL(s) (s), (sizeof(s) - 1)

static char greeting[64];
static char iterations[16];
static char line[128];

static uint32_t append(uint32_t at, const char *text, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) line[at + i] = text[i];
  return at + len;
}

static uint32_t append_i32(uint32_t at, int32_t value) {
  char digits[11];
  uint32_t n = 0;
  /* Unsigned magnitude so that INT32_MIN has a positive counterpart. */
  uint32_t mag = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
  if (value < 0) line[at++] = '-';
  do {
    digits[n++] = (char)('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  while (n > 0) line[at++] = digits[--n];
  return at;
}

static void log_number(const char *prefix, uint32_t prefix_len, int32_t value, const char *suffix, uint32_t suffix_len) {
  uint32_t at = append(0, prefix, prefix_len);
  at = append_i32(at, value);
  at = append(at, suffix, suffix_len);
  wasmbed_log(WASMBED_INFO, line, at);
}

/* 1..9 decimal digits, else -1. */
static int32_t parse_count(const char *text, int32_t len) {
  if (len <= 0 || len > 9) return -1;
  int32_t value = 0;
  for (int32_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

void run(void) {
  int32_t n = wasmbed_config_get(LITERAL("greeting"), greeting, sizeof greeting);
  if (n < 0) {
    wasmbed_log(WASMBED_INFO, LITERAL("Hello, Wasmbed!"));
  } else {
    wasmbed_log(WASMBED_INFO, greeting, (uint32_t)n);
  }

  int32_t limit = -1; /* forever */
  n = wasmbed_config_get(LITERAL("iterations"), iterations, sizeof iterations);
  if (n != WASMBED_CONFIG_MISSING) {
    if (n >= 0) limit = parse_count(iterations, n);
    if (limit < 0) wasmbed_log(WASMBED_WARN, LITERAL("iterations is not a number: running forever"));
  }

  int32_t i = 0;
  for (; i != limit; i++) {
    log_number(LITERAL("temperature "), wasmbed_sensor_read(WASMBED_TEMPERATURE_MC), LITERAL(" m\xc2\xb0" "C"));
    wasmbed_sleep_ms(1000);
  }
  log_number(LITERAL("done after "), i, LITERAL(" readings"));
}
