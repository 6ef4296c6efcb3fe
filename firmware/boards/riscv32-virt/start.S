/* Reset entry (0x80000000) and the trap vector. The application runs on the
 * main stack at the top of RAM; traps switch to the 4 KiB .isr_stack through
 * mscratch, so a trap caused by a broken main stack can still be reported. */

    .section .text.init.enter, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrw mie, zero
    csrci mstatus, 8
    la sp, __stack_top
    la t0, __isr_stack_top
    csrw mscratch, t0
    la t0, trap_entry
    csrw mtvec, t0
    j wb_c_start

    .section .text.trap_entry, "ax"
    .balign 4
    .globl trap_entry
trap_entry:
    csrrw sp, mscratch, sp      /* sp = ISR stack, mscratch = interrupted sp */
    addi sp, sp, -64
    sw ra, 0(sp)
    sw t0, 4(sp)
    sw t1, 8(sp)
    sw t2, 12(sp)
    sw a0, 16(sp)
    sw a1, 20(sp)
    sw a2, 24(sp)
    sw a3, 28(sp)
    sw a4, 32(sp)
    sw a5, 36(sp)
    sw a6, 40(sp)
    sw a7, 44(sp)
    sw t3, 48(sp)
    sw t4, 52(sp)
    sw t5, 56(sp)
    sw t6, 60(sp)
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    call trap_handler
    lw ra, 0(sp)
    lw t0, 4(sp)
    lw t1, 8(sp)
    lw t2, 12(sp)
    lw a0, 16(sp)
    lw a1, 20(sp)
    lw a2, 24(sp)
    lw a3, 28(sp)
    lw a4, 32(sp)
    lw a5, 36(sp)
    lw a6, 40(sp)
    lw a7, 44(sp)
    lw t3, 48(sp)
    lw t4, 52(sp)
    lw t5, 56(sp)
    lw t6, 60(sp)
    addi sp, sp, 64
    csrrw sp, mscratch, sp
    mret
