# QEMU mps2-an385: Arm MPS2 FPGA image AN385, Cortex-M3 at 25 MHz.
mps2-an385_CROSS := arm-none-eabi-
mps2-an385_ARCH := -mcpu=cortex-m3 -mthumb
mps2-an385_LDSCRIPT := boards/mps2-an385/memory.ld
mps2-an385_SRCS := boards/mps2-an385/vectors.c boards/mps2-an385/board.c boards/mps2-an385/uart_cmsdk.c \
	boards/common/startup.c boards/common/fault_report.c
mps2-an385_QEMU := qemu-system-arm -M mps2-an385 -nographic
