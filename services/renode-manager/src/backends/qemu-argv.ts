import { ValidationError } from '@wasmbed/errors';
import type { BoardSpec, QemuBinary } from '../boards/board-catalogue';
import { hex, safeDeviceName, safePath, safePort } from './argv-safety';

export interface QemuRunSpec {
  readonly deviceName: string;
  readonly board: BoardSpec;
  readonly elf: string;
  readonly provisioningImage: string;
  /** Ports on 127.0.0.1 where the manager listens; QEMU connects to them before the CPU starts. */
  readonly consolePort: number;
  readonly linkPort: number;
}

export interface QemuCommand {
  readonly binary: QemuBinary;
  readonly args: readonly string[];
}

const LOOPBACK = '127.0.0.1';

/** A client socket chardev: QEMU dials the manager, so no port is raced for and no early byte is lost. */
const socketChardev = (id: string, port: number): string => `socket,id=${id},host=${LOOPBACK},port=${port},nodelay=on`;

/**
 * QEMU's argv for one emulated device (an array for execFile/spawn, never a shell
 * string). UART0 is the console; the link UART (a second board UART, or a pci-serial
 * card on virt) carries the device's TLS bytes to the bridge. The provisioning image
 * goes to the board's provisioning area with the generic loader.
 */
export function qemuCommand(spec: QemuRunSpec): QemuCommand {
  const { board } = spec;
  if (board.qemu === null) throw new ValidationError(`board ${board.name} has no QEMU machine`);
  const name = safeDeviceName(spec.deviceName);
  const elf = safePath(spec.elf, 'firmware ELF');
  const image = safePath(spec.provisioningImage, 'provisioning image');
  const consolePort = safePort(spec.consolePort, 'console port');
  const linkPort = safePort(spec.linkPort, 'link port');
  const link = board.qemu.link === 'second-serial' ? ['-serial', 'chardev:link'] : ['-device', 'pci-serial,chardev=link'];
  return {
    binary: board.qemu.binary,
    args: [
      '-name',
      `wasmbed-${name}`,
      '-M',
      board.qemu.machine,
      ...board.qemu.machineArgs,
      '-nographic',
      '-monitor',
      'none',
      '-chardev',
      socketChardev('console', consolePort),
      '-serial',
      'chardev:console',
      '-chardev',
      socketChardev('link', linkPort),
      ...link,
      '-kernel',
      elf,
      '-device',
      `loader,file=${image},addr=${hex(board.provisioningArea)}`,
    ],
  };
}
