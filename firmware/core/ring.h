/* Single-producer single-consumer byte ring, safe between one interrupt handler
 * and the main loop on a single core: each index is written by one side only,
 * and the data byte is stored before the index that publishes it. */
#ifndef WB_RING_H
#define WB_RING_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint8_t *buf;
    uint32_t mask; /* size - 1; size is a power of two */
    volatile uint32_t head; /* written by the producer */
    volatile uint32_t tail; /* written by the consumer */
} wb_ring;

#define WB_COMPILER_BARRIER() __asm__ volatile("" ::: "memory")

static inline void wb_ring_init(wb_ring *r, uint8_t *buf, uint32_t size)
{
    r->buf = buf;
    r->mask = size - 1;
    r->head = 0;
    r->tail = 0;
}

static inline uint32_t wb_ring_used(const wb_ring *r)
{
    return r->head - r->tail;
}

static inline bool wb_ring_put(wb_ring *r, uint8_t byte)
{
    uint32_t head = r->head;
    if (head - r->tail > r->mask) return false;
    r->buf[head & r->mask] = byte;
    WB_COMPILER_BARRIER();
    r->head = head + 1;
    return true;
}

static inline bool wb_ring_get(wb_ring *r, uint8_t *byte)
{
    uint32_t tail = r->tail;
    if (tail == r->head) return false;
    *byte = r->buf[tail & r->mask];
    WB_COMPILER_BARRIER();
    r->tail = tail + 1;
    return true;
}

#endif
