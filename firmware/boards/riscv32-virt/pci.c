/* Just enough PCI for the link UART: QEMU's pci-serial (vendor 0x1b36, device
 * 0x0002) is a 16550 behind an 8-byte I/O BAR. The firmware is the only
 * software on the bus, so it assigns the BAR itself. */
#include "virt.h"

#define PCI_VENDOR_REDHAT 0x1b36u
#define PCI_DEVICE_SERIAL 0x0002u
#define PCI_COMMAND 0x04u
#define PCI_BAR0 0x10u
#define PCI_INTERRUPT_PIN 0x3du
#define PCI_COMMAND_IO 0x1u
#define PCI_BAR_IO 0x1u
#define LINK_IO_ADDR 0x1000u /* any 8-byte-aligned address in the 64 KiB window but 0 */

unsigned virt_link_irq;

static volatile uint32_t *config(unsigned slot, unsigned offset)
{
    return (volatile uint32_t *)(uintptr_t)(VIRT_PCIE_ECAM + (slot << 15) + offset);
}

int pci_serial_find(uintptr_t *base, unsigned *irq)
{
    for (unsigned slot = 0; slot < 32; slot++) {
        uint32_t id = *config(slot, 0);
        if (id != (PCI_DEVICE_SERIAL << 16 | PCI_VENDOR_REDHAT)) continue;
        if (!(*config(slot, PCI_BAR0) & PCI_BAR_IO)) return -1;
        *config(slot, PCI_BAR0) = LINK_IO_ADDR;
        *config(slot, PCI_COMMAND) |= PCI_COMMAND_IO;
        unsigned pin = (*config(slot, PCI_INTERRUPT_PIN & ~3u) >> 8) & 0xffu; /* 1 = INTA */
        if (pin < 1 || pin > 4) return -1;
        *base = VIRT_PCIE_PIO + LINK_IO_ADDR;
        *irq = VIRT_PCIE_IRQ + (slot + pin - 1) % 4;
        return 0;
    }
    return -1;
}
