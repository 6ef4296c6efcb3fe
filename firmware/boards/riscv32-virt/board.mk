# QEMU virt (riscv32): RV32IMAC hart in machine mode, CLINT timer, PLIC, NS16550A UART.
# ISA spec 2.2 keeps the CSR instructions in "i" (later specs split out zicsr,
# which GCC 12 cannot map to the rv32imac picolibc multilib).
riscv32-virt_CROSS := riscv64-unknown-elf-
riscv32-virt_ARCH := -march=rv32imac -mabi=ilp32 -mcmodel=medany -misa-spec=2.2
riscv32-virt_LDSCRIPT := boards/riscv32-virt/memory.ld
riscv32-virt_SRCS := boards/riscv32-virt/start.S boards/riscv32-virt/trap.c boards/riscv32-virt/board.c \
	boards/riscv32-virt/uart_ns16550.c boards/riscv32-virt/pci.c boards/common/startup.c boards/common/fault_report.c
riscv32-virt_QEMU := qemu-system-riscv32 -M virt -bios none -nographic
