import { NoBackendForBoardError, UnknownBoardError } from '../errors';
import { backendsOf, chooseBackend, runnableBackends, type InstalledBackends } from './backend-selection';
import { BOARDS, findBoard, type QemuBinary } from './board-catalogue';

const have = (qemu: QemuBinary[], renode = false): InstalledBackends => ({ qemu: new Set(qemu), renode });
const QEMU_ONLY = have(['qemu-system-arm', 'qemu-system-riscv32']);
const EVERYTHING = have(['qemu-system-arm', 'qemu-system-riscv32'], true);

describe('board catalogue', () => {
  it('has the boards of the seeds, each name once', () => {
    expect(BOARDS.map((b) => b.name)).toEqual(['stm32f746g-disco', 'frdm-k64f', 'nrf52840', 'esp32', 'mps2-an385', 'riscv']);
    const names = BOARDS.flatMap((b) => [b.name, ...b.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('puts every provisioning area at RAM + 0x1000, and the seeds’ 0x20001000 on the Cortex-M boards', () => {
    for (const board of BOARDS) expect(board.provisioningArea).toBe(board.ramBase + 0x1000);
    expect(findBoard('mps2-an385').provisioningArea).toBe(0x2000_1000);
    expect(findBoard('riscv').provisioningArea).toBe(0x8040_1000);
  });

  it('maps our boards to the QEMU machines the firmware is built for', () => {
    expect(findBoard('mps2-an385')).toMatchObject({ arch: 'thumbv7m', firmwareTarget: 'mps2-an385', qemu: { binary: 'qemu-system-arm', machine: 'mps2-an385', link: 'second-serial' } });
    expect(findBoard('riscv')).toMatchObject({
      arch: 'riscv32imac',
      firmwareTarget: 'riscv32-virt',
      qemu: { binary: 'qemu-system-riscv32', machine: 'virt', machineArgs: ['-bios', 'none'], link: 'pci-serial' },
    });
  });

  it('gives each Renode board a console and a link UART that its platform defines', () => {
    for (const board of BOARDS.filter((b) => b.renode !== null)) {
      const { renode } = board;
      expect(renode!.consoleUart).not.toBe(renode!.linkUart);
      // A platform of our own must define both UARTs; a stock one may have them already.
      if (renode!.using === null) expect(renode!.peripherals.map((p) => p.name)).toEqual(expect.arrayContaining([renode!.consoleUart, renode!.linkUart, 'cpu']));
    }
  });

  it('finds boards by alias and lists the known ones for an unknown name', () => {
    expect(findBoard('riscv32-virt').name).toBe('riscv');
    expect(findBoard('nrf52840dk').name).toBe('nrf52840');
    expect(() => findBoard('arduino-uno')).toThrow(UnknownBoardError);
    expect(() => findBoard('arduino-uno')).toThrow("unknown board 'arduino-uno': known boards are stm32f746g-disco, frdm-k64f, nrf52840, esp32, mps2-an385, riscv");
    expect(new UnknownBoardError('x', []).code).toBe('invalid_argument');
  });
});

describe('backend selection', () => {
  it('offers QEMU first where a board has both', () => {
    expect(backendsOf(findBoard('mps2-an385'))).toEqual(['qemu', 'renode']);
    expect(backendsOf(findBoard('nrf52840'))).toEqual(['renode']);
    expect(backendsOf(findBoard('esp32'))).toEqual([]);
    expect(chooseBackend(findBoard('mps2-an385'), EVERYTHING)).toBe('qemu');
    expect(chooseBackend(findBoard('mps2-an385'), EVERYTHING, 'renode')).toBe('renode');
    expect(chooseBackend(findBoard('mps2-an385'), have([], true))).toBe('renode');
    expect(runnableBackends(findBoard('riscv'), have(['qemu-system-arm']))).toEqual([]);
  });

  it('says what to install when nothing here can run a board', () => {
    expect(() => chooseBackend(findBoard('nrf52840'), QEMU_ONLY)).toThrow('board nrf52840: no installed backend can run it (renode needs `renode` on PATH)');
    expect(() => chooseBackend(findBoard('riscv'), have(['qemu-system-arm']))).toThrow(
      'board riscv: no installed backend can run it (qemu needs qemu-system-riscv32 on PATH; renode needs `renode` on PATH)',
    );
  });

  it('refuses esp32 on any machine, saying what it would need', () => {
    const attempt = () => chooseBackend(findBoard('esp32'), EVERYTHING);
    expect(attempt).toThrow(NoBackendForBoardError);
    expect(attempt).toThrow(/^board esp32: no installed backend can run it \(needs an emulator with an ESP32 \(Xtensa LX6\) machine/);
    expect(new NoBackendForBoardError('esp32', '').code).toBe('failed_precondition');
  });

  it('refuses a backend the board does not have, or that is not installed', () => {
    expect(() => chooseBackend(findBoard('nrf52840'), EVERYTHING, 'qemu')).toThrow('board nrf52840: no installed backend can run it (qemu cannot run it; it runs on renode)');
    expect(() => chooseBackend(findBoard('mps2-an385'), QEMU_ONLY, 'renode')).toThrow('renode needs `renode` on PATH');
  });
});
