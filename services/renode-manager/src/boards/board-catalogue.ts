import { UnknownBoardError } from '../errors';

export type BackendKind = 'qemu' | 'renode';
export const BACKEND_KINDS: readonly BackendKind[] = ['qemu', 'renode'];

export type QemuBinary = 'qemu-system-arm' | 'qemu-system-riscv32';

/** How QEMU runs a board: machine, and where the second serial port (the gateway link) comes from. */
export interface QemuMachine {
  readonly binary: QemuBinary;
  readonly machine: string;
  /** Arguments that belong to the machine, e.g. `-bios none` on virt. */
  readonly machineArgs: readonly string[];
  /** mps2-an385 has a second UART on the board; virt gets a pci-serial card (its only NS16550 is the console). */
  readonly link: 'second-serial' | 'pci-serial';
}

/** One entry of a Renode platform description (.repl), rendered by renode-script.ts. */
export interface ReplPeripheral {
  readonly name: string;
  /** Renode type, e.g. `UART.CMSDK_APB_UART`. */
  readonly type: string;
  /** Bus address; undefined for peripherals registered without one (the CPU). */
  readonly address?: number;
  /** `key: value` lines, values already in .repl syntax (`"cortex-m3"`, `0x40000`, `nvic`). */
  readonly properties?: readonly (readonly [string, string])[];
  /** Interrupt lines, e.g. `RxInterrupt -> nvic@0` or `-> cpu@0`. */
  readonly connections?: readonly string[];
}

/** How Renode runs a board: a stock platform from Renode's tree plus what we add, and the UARTs to attach. */
export interface RenodePlatform {
  /** Path inside Renode's installation (`using "<path>"`); null when the description is complete here. */
  readonly using: string | null;
  readonly peripherals: readonly ReplPeripheral[];
  /** Peripheral names under sysbus carrying the console and the gateway link. */
  readonly consoleUart: string;
  readonly linkUart: string;
  /** What does not match the firmware yet, shown in /status. */
  readonly caveat?: string;
}

export interface BoardSpec {
  readonly name: string;
  /** Other names accepted for the board (e.g. the firmware's own board name). */
  readonly aliases: readonly string[];
  readonly description: string;
  readonly cpu: string;
  /** Architecture as devices report it in Hello (and as registered). */
  readonly arch: string;
  readonly ramBase: number;
  /** Where the emulator loads the 4 KiB provisioning image (firmware/README.md): RAM + 0x1000. */
  readonly provisioningArea: number;
  /** `firmware/build/<target>/wasmbed.elf`; built by `make -C firmware <target>`. */
  readonly firmwareTarget: string | null;
  readonly qemu: QemuMachine | null;
  readonly renode: RenodePlatform | null;
  /** Why neither backend is offered, for boards without any. */
  readonly unsupported?: string;
}

const PROVISIONING_OFFSET = 0x1000;

const board = (spec: Omit<BoardSpec, 'provisioningArea'>): BoardSpec => ({ ...spec, provisioningArea: spec.ramBase + PROVISIONING_OFFSET });

const cmsdkUart = (name: string, address: number, rxIrq: number, txIrq: number): ReplPeripheral => ({
  name,
  type: 'UART.CMSDK_APB_UART',
  address,
  properties: [['frequency', '25000000']],
  connections: [`RxInterrupt -> nvic@${rxIrq}`, `TxInterrupt -> nvic@${txIrq}`],
});

/**
 * The boards of the seeds. Ours (mps2-an385, riscv) run on QEMU with the firmware
 * of firmware/; the others have Renode platforms and wait for a firmware port.
 */
export const BOARDS: readonly BoardSpec[] = [
  board({
    name: 'stm32f746g-disco',
    aliases: [],
    description: 'ST STM32F746G Discovery (Cortex-M7, Ethernet)',
    cpu: 'cortex-m7',
    arch: 'thumbv7em',
    ramBase: 0x2000_0000,
    firmwareTarget: 'stm32f746g-disco',
    qemu: null,
    renode: { using: 'platforms/boards/stm32f7_discovery-bb.repl', peripherals: [], consoleUart: 'usart1', linkUart: 'usart6' },
  }),
  board({
    name: 'frdm-k64f',
    aliases: [],
    description: 'NXP FRDM-K64F (Cortex-M4F, Ethernet)',
    cpu: 'cortex-m4f',
    arch: 'thumbv7em',
    ramBase: 0x2000_0000,
    firmwareTarget: 'frdm-k64f',
    qemu: null,
    renode: {
      using: 'platforms/cpus/nxp-k6xf.repl',
      // The stock K64F description has UART0 only.
      peripherals: [{ name: 'uart1', type: 'UART.K6xF_UART', address: 0x4006_b000, connections: ['IRQ -> nvic@33'] }],
      consoleUart: 'uart0',
      linkUart: 'uart1',
    },
  }),
  board({
    name: 'nrf52840',
    aliases: ['nrf52840dk'],
    description: 'Nordic nRF52840 DK (Cortex-M4F, BLE)',
    cpu: 'cortex-m4',
    arch: 'thumbv7em',
    ramBase: 0x2000_0000,
    firmwareTarget: 'nrf52840',
    qemu: null,
    renode: { using: 'platforms/cpus/nrf52840.repl', peripherals: [], consoleUart: 'uart0', linkUart: 'uart1' },
  }),
  board({
    name: 'esp32',
    aliases: ['esp32-devkitc'],
    description: 'Espressif ESP32 DevKitC (Xtensa LX6, Wi-Fi)',
    cpu: 'xtensa-lx6',
    arch: 'xtensa',
    ramBase: 0x3ffb_0000,
    firmwareTarget: null,
    qemu: null,
    renode: null,
    unsupported:
      "needs an emulator with an ESP32 (Xtensa LX6) machine, e.g. Espressif's QEMU fork or a Renode with an ESP32 platform, and an Xtensa firmware build; neither is part of this platform",
  }),
  board({
    name: 'mps2-an385',
    aliases: [],
    description: 'Arm MPS2 AN385 (Cortex-M3)',
    cpu: 'cortex-m3',
    arch: 'thumbv7m',
    ramBase: 0x2000_0000,
    firmwareTarget: 'mps2-an385',
    qemu: { binary: 'qemu-system-arm', machine: 'mps2-an385', machineArgs: [], link: 'second-serial' },
    renode: {
      // Renode has no MPS2 platform: the parts the firmware uses, at QEMU's addresses.
      using: null,
      peripherals: [
        { name: 'cpu', type: 'CPU.CortexM', properties: [['cpuType', '"cortex-m3"'], ['nvic', 'nvic']] },
        { name: 'nvic', type: 'IRQControllers.NVIC', address: 0xe000_e000, properties: [['systickFrequency', '25000000']], connections: ['-> cpu@0'] },
        { name: 'flash', type: 'Memory.MappedMemory', address: 0x0000_0000, properties: [['size', '0x400000']] },
        { name: 'ram', type: 'Memory.MappedMemory', address: 0x2000_0000, properties: [['size', '0x400000']] },
        cmsdkUart('uart0', 0x4000_4000, 0, 1),
        cmsdkUart('uart1', 0x4000_5000, 2, 3),
      ],
      consoleUart: 'uart0',
      linkUart: 'uart1',
      caveat: 'Renode has no CMSDK APB timer: the firmware clock does not advance on this platform',
    },
  }),
  board({
    name: 'riscv',
    aliases: ['riscv32-virt'],
    description: 'RISC-V 32-bit virt machine (RV32IMAC)',
    cpu: 'rv32imac',
    arch: 'riscv32imac',
    ramBase: 0x8040_0000,
    firmwareTarget: 'riscv32-virt',
    qemu: { binary: 'qemu-system-riscv32', machine: 'virt', machineArgs: ['-bios', 'none'], link: 'pci-serial' },
    renode: {
      using: 'platforms/cpus/riscv_virt.repl',
      peripherals: [{ name: 'uart1', type: 'UART.NS16550', address: 0x1000_1000, connections: ['IRQ -> plic@4'] }],
      consoleUart: 'uart0',
      linkUart: 'uart1',
      caveat: 'the firmware looks for its link UART on PCI (QEMU pci-serial); Renode has no PCI, so the device boots but stays offline',
    },
  }),
];

/** The board called `name` (or one of its aliases); UnknownBoardError lists the known ones. */
export function findBoard(name: string): BoardSpec {
  const found = BOARDS.find((b) => b.name === name || b.aliases.includes(name));
  if (found === undefined) throw new UnknownBoardError(name, BOARDS.map((b) => b.name));
  return found;
}
