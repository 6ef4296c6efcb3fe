// One emulated device's supervisor with real QEMU and the real firmware, without
// the platform around it: what it does when the firmware halts for good, and when
// crashes keep coming.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createJsonLogger } from '@wasmbed/service-kit';
import { eventually } from '@wasmbed/testing';
import { detectBackends } from '../backends/detect-backends';
import { QemuLauncher } from '../backends/qemu-launcher';
import { findBoard } from '../boards/board-catalogue';
import { buildProvisioningImage } from '../provisioning/provisioning-image';
import { processAlive } from '../provisioning/work-dir';
import type { ConsoleLine } from '../serial/console-log-publisher';
import { GatewayRoutes } from '../serial/gateway-routes';
import { EmulatedDevice } from './emulated-device';

jest.setTimeout(120_000);

const ELF = resolve(__dirname, '..', '..', '..', '..', 'firmware', 'build', 'mps2-an385', 'wasmbed.elf');

let dir: string;
let gateway: Server;
let launcher: QemuLauncher;
/** Deleted after each test, so a failing test leaves no QEMU behind. */
const devices: EmulatedDevice[] = [];

beforeAll(async () => {
  if (!existsSync(ELF)) throw new Error(`${ELF} is missing: run make -C firmware`);
  dir = await mkdtemp(join(tmpdir(), 'renode-manager-supervision-'));
  // Something to bridge to; these devices have no platform CA and never dial.
  gateway = createServer((socket) => socket.destroy());
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  const installed = await detectBackends({ enabled: ['qemu'], renodeBinary: 'renode' });
  launcher = new QemuLauncher((name) => installed.path(name), 30_000);
});

afterEach(async () => {
  for (const device of devices.splice(0)) await device.delete().catch(() => undefined);
});

afterAll(async () => {
  gateway?.close();
  await rm(dir, { recursive: true, force: true });
});

async function supervised(name: string, image: Buffer, maxRestarts: number) {
  const deviceDir = await mkdtemp(join(dir, `${name}-`));
  const provisioningImage = join(deviceDir, 'provisioning.bin');
  await writeFile(provisioningImage, image, { mode: 0o600 });
  const lines: ConsoleLine[] = [];
  let cleanedUp = 0;
  const device = new EmulatedDevice(
    { name, board: findBoard('mps2-an385'), backend: 'qemu', labels: {}, elf: ELF, createdAt: new Date().toISOString() },
    {
      launcher,
      policy: { maxRestarts, backoffBaseMs: 100, backoffMaxMs: 100, stableAfterMs: 600_000 },
      routes: new GatewayRoutes('localhost:9', { host: '127.0.0.1', port: (gateway.address() as AddressInfo).port }),
      consoleSink: (line) => lines.push(line),
      logger: createJsonLogger('supervision-test', 'error'),
      clock: Date.now,
      cleanup: async () => {
        cleanedUp += 1;
      },
    },
  );
  devices.push(device);
  const view = await device.created({ dir: deviceDir, provisioningImage, publicKeyHex: '00'.repeat(32) }, true);
  return { device, lines, view, cleanedUp: () => cleanedUp };
}

const validImage = () => buildProvisioningImage({ endpoint: 'localhost:9', keySeed: randomBytes(32), rngSeed: randomBytes(32) });

describe('device supervision on QEMU', () => {
  it('publishes the console per run and leaves a firmware that rejects its provisioning halted, not restarted', async () => {
    const image = validImage();
    image[0x200 + 0x10] ^= 0x01; // one bit of the key seed: the identity block's CRC no longer matches
    const { device, lines, view } = await supervised('emu-corrupt', image, 3);
    expect(view).toMatchObject({ phase: 'Running', run: 1 });
    const halted = await eventually('the halt to be noticed', () => (device.view().phase === 'Crashed' ? device.view() : undefined), 60_000);
    expect(halted.reason).toBe(
      'firmware halted: PROVISIONING ERROR: identity block CRC-32 mismatch; not restarted: a restart cannot fix this',
    );
    expect(halted).toMatchObject({ restartInMs: null, restarts: 0, pid: null });
    // The phase changes first, then the reducer's effects run: the emulator is ended right after.
    await eventually('QEMU to be ended', () => !processAlive(view.pid!), 10_000);
    expect(lines.find((l) => l.text.startsWith('PROVISIONING ERROR'))).toEqual({
      deviceName: 'emu-corrupt',
      sessionId: 'emu-corrupt.run-1',
      level: 'error',
      text: 'PROVISIONING ERROR: identity block CRC-32 mismatch',
    });
    await device.delete();
  });

  it('restarts after a crash, and gives up after maxRestarts consecutive ones', async () => {
    const { device, lines, cleanedUp } = await supervised('emu-crashy', validImage(), 1);
    await eventually('the first boot', () => lines.some((l) => l.sessionId === 'emu-crashy.run-1' && /^ready in/.test(l.text)), 60_000);
    process.kill(device.view().pid!, 'SIGKILL');
    // pid is null while a run is being launched.
    const second = await eventually('run 2', () => (device.view().run === 2 && device.view().pid !== null ? device.view() : undefined), 30_000);
    await eventually('the second boot', () => lines.some((l) => l.sessionId === 'emu-crashy.run-2' && /^ready in/.test(l.text)), 60_000);
    process.kill(second.pid!, 'SIGKILL');
    const gaveUp = await eventually('giving up', () => (device.view().phase === 'Crashed' ? device.view() : undefined), 30_000);
    expect(gaveUp).toMatchObject({ run: 2, restarts: 1, crashes: 2, restartInMs: null });
    expect(gaveUp.reason).toMatch(/^qemu was killed by SIGKILL.*; not restarted: 1 restart\(s\) after consecutive crashes did not help$/);
    // An operator start begins again from a clean slate.
    expect(await device.start()).toMatchObject({ phase: 'Running', run: 3, crashes: 0 });
    expect(await device.delete()).toMatchObject({ phase: 'Deleted', pid: null });
    expect(cleanedUp()).toBe(1);
    await expect(device.start()).rejects.toThrow("cannot start: emulated device 'emu-crashy' is Deleted");
  });
});
