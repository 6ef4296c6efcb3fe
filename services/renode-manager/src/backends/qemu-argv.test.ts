import { ValidationError } from '@wasmbed/errors';
import { findBoard } from '../boards/board-catalogue';
import { qemuCommand, type QemuRunSpec } from './qemu-argv';

const spec = (overrides: Partial<QemuRunSpec> = {}): QemuRunSpec => ({
  deviceName: 'emu-1',
  board: findBoard('mps2-an385'),
  elf: '/repo/firmware/build/mps2-an385/wasmbed.elf',
  provisioningImage: '/tmp/wasmbed-renode-manager/manager-1-abc/emu-1-xyz/provisioning.bin',
  consolePort: 40001,
  linkPort: 40002,
  ...overrides,
});

describe('QEMU command line', () => {
  it('runs mps2-an385 with the console on UART0 and the link on UART1, both dialling the manager', () => {
    expect(qemuCommand(spec())).toEqual({
      binary: 'qemu-system-arm',
      args: [
        '-name', 'wasmbed-emu-1',
        '-M', 'mps2-an385',
        '-nographic',
        '-monitor', 'none',
        '-chardev', 'socket,id=console,host=127.0.0.1,port=40001,nodelay=on',
        '-serial', 'chardev:console',
        '-chardev', 'socket,id=link,host=127.0.0.1,port=40002,nodelay=on',
        '-serial', 'chardev:link',
        '-kernel', '/repo/firmware/build/mps2-an385/wasmbed.elf',
        '-device', 'loader,file=/tmp/wasmbed-renode-manager/manager-1-abc/emu-1-xyz/provisioning.bin,addr=0x20001000',
      ],
    });
  });

  it('runs riscv on virt without a BIOS, with the link on a pci-serial card', () => {
    const { binary, args } = qemuCommand(spec({ board: findBoard('riscv'), elf: '/fw/riscv32-virt/wasmbed.elf' }));
    expect(binary).toBe('qemu-system-riscv32');
    expect(args.slice(2, 6)).toEqual(['-M', 'virt', '-bios', 'none']);
    expect(args).toContain('pci-serial,chardev=link');
    expect(args.filter((a) => a === '-serial')).toHaveLength(1);
    expect(args[args.length - 1]).toBe('loader,file=/tmp/wasmbed-renode-manager/manager-1-abc/emu-1-xyz/provisioning.bin,addr=0x80401000');
  });

  it.each([
    ['a comma in a path (would add a QEMU option)', { provisioningImage: '/tmp/x,addr=0/prov.bin' }],
    ['a relative path', { elf: 'build/wasmbed.elf' }],
    ['a path with a space', { elf: '/tmp/my firmware/wasmbed.elf' }],
    ['a parent segment', { elf: '/tmp/../etc/wasmbed.elf' }],
    ['a device name that is no DNS label', { deviceName: 'Emu_1,x' }],
    ['port 0', { consolePort: 0 }],
    ['a port above 65535', { linkPort: 70_000 }],
    ['a fractional port', { linkPort: 4.5 }],
  ])('refuses %s', (_what, overrides) => {
    expect(() => qemuCommand(spec(overrides))).toThrow(ValidationError);
  });

  it('refuses a board QEMU cannot run', () => {
    expect(() => qemuCommand(spec({ board: findBoard('nrf52840') }))).toThrow('board nrf52840 has no QEMU machine');
  });
});
