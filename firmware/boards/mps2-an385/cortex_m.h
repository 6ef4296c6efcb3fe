/* The few Cortex-M3 system registers this board touches (ARMv7-M ARM, B3). */
#ifndef WB_CORTEX_M_H
#define WB_CORTEX_M_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(addr))

#define SYST_CSR REG32(0xe000e010u)
#define SYST_RVR REG32(0xe000e014u)
#define SYST_CVR REG32(0xe000e018u)
#define SYST_CSR_ENABLE 1u
#define SYST_CSR_TICKINT 2u
#define SYST_CSR_CLKSOURCE 4u /* processor clock */

#define NVIC_ISER(n) REG32(0xe000e100u + 4u * (n))
#define SCB_CFSR REG32(0xe000ed28u)
#define SCB_HFSR REG32(0xe000ed2cu)
#define SCB_MMFAR REG32(0xe000ed34u)
#define SCB_BFAR REG32(0xe000ed38u)

static inline void nvic_enable(unsigned irq)
{
    NVIC_ISER(irq / 32) = 1u << (irq % 32);
}

#endif
