/* Seed material for wolfSSL's Hash_DRBG (CUSTOM_RAND_GENERATE_SEED, see
 * user_settings.h). The emulated boards have no TRNG, so the seed is SHA-256
 * over: the 32-byte RNG seed provisioned per device (written by whoever starts
 * the emulated device), a boot counter kept in RAM that survives warm resets,
 * and timer jitter (the fine counter's low bits at interrupt wake-ups and around
 * a fixed workload, which vary with the host's scheduling). The pool ratchets
 * forward after every request. A real board reads its TRNG instead (STM32 RNG,
 * nRF52 RNG, ESP32 RNG, or a secure element) and keeps the boot counter in flash. */
#ifndef WB_TLS_ENTROPY_H
#define WB_TLS_ENTROPY_H

#include <stdint.h>

/* Mixes the provisioned seed, the boot counter and `samples` jitter samples
 * (one per timer tick, so about `samples` ms) into the pool. */
void wb_entropy_init(const uint8_t provisioned_seed[32], unsigned samples);

/* This boot's counter value (for the boot report). */
uint32_t wb_entropy_boot_count(void);

/* CUSTOM_RAND_GENERATE_SEED: fills `output`; 0 on success, -1 before init. */
int wb_tls_generate_seed(unsigned char *output, unsigned int size);

#endif
