import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSelfSignedDeviceCertificate, ed25519KeyPairFromSeed } from '@wasmbed/pki';
import { decodeDeviceMessage } from '@wasmbed/protocol';
import { BOARDS, QemuConsole, type BoardSpec } from './qemu-console';

const run = promisify(execFile);
const FIRMWARE = join(__dirname, '..');
const ENDPOINT = 'gw-1.wasmbed.test:4423';

let work: string;
let build: { stdout: string; stderr: string };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wasmbed-firmware-'));
  build = await run('make', ['-C', FIRMWARE, 'all', 'host-test'], { maxBuffer: 64 * 1024 * 1024, timeout: 280_000 });
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('firmware build', () => {
  it('builds both boards and passes the host tests: shared vectors, fuzzing, core units', async () => {
    for (const board of BOARDS) {
      const elf = await readFile(join(FIRMWARE, 'build', board.name, 'wasmbed.elf'));
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    }
    expect(build.stdout).toMatch(/vectors_test: \d+ checks passed, 0 failed/);
    expect(build.stdout).toMatch(/vectors: \d+ frame, \d+ message \(\d+ re-encoded byte for byte\), \d+ manifest/);
    expect(build.stdout).toMatch(/fuzz_test: \d+ checks passed, 0 failed/);
    expect(build.stdout).toMatch(/core_test: \d+ checks passed, 0 failed/);
  });
});

interface Provisioned {
  readonly image: string;
  readonly seed: Buffer;
  readonly certDer: Buffer;
}

/** A provisioning image through the firmware's own tool, with a real self-signed device certificate. */
async function provision(board: BoardSpec): Promise<Provisioned> {
  const seed = createHash('sha256').update(`firmware-test-key-${board.name}`).digest();
  const rngSeed = createHash('sha256').update(`firmware-test-rng-${board.name}`).digest();
  const cert = await createSelfSignedDeviceCertificate({ deviceId: `emu-${board.name}`, validityDays: 1, seed });
  const certFile = join(work, `${board.name}.der`);
  await writeFile(certFile, cert.certDer);
  const image = join(work, `${board.name}.prov`);
  const { stdout } = await run('node', [
    join(FIRMWARE, 'tools/provision.mjs'),
    '--out', image,
    '--endpoint', ENDPOINT,
    '--key-seed', seed.toString('hex'),
    '--rng-seed', rngSeed.toString('hex'),
    '--cert-der', certFile,
  ]);
  expect(JSON.parse(stdout)).toMatchObject({ bytes: 4096, endpoint: ENDPOINT, certBytes: cert.certDer.length });
  return { image, seed, certDer: cert.certDer };
}

describe.each(BOARDS)('$name on QEMU', (board) => {
  const elf = () => join(FIRMWARE, 'build', board.name, 'wasmbed.elf');
  let qemu: QemuConsole | undefined;

  afterEach(async () => {
    await qemu?.stop();
    qemu = undefined;
  });

  it('boots with its provisioning, echoes input through the RX interrupt and keeps time', async () => {
    const provisioned = await provision(board);
    qemu = await QemuConsole.boot(board, elf(), provisioned.image);
    await qemu.waitFor(/ready in \d+ ms/);

    expect(qemu.output).toContain(`board=${board.name} `);
    expect(qemu.output).toContain(`arch=${board.arch}`);
    const heap = qemu.output.match(/heap: (\d+) bytes at 0x[0-9a-f]+\.\.0x[0-9a-f]+ \(malloc self-test ok\)/);
    expect(Number(heap?.[1])).toBeGreaterThanOrEqual(128 * 1024);
    expect(qemu.output).toContain(`endpoint: ${ENDPOINT}`);
    // The Ed25519 public key the MCU derives from its seed is the one Node derives.
    const publicKey = Buffer.from(ed25519KeyPairFromSeed(provisioned.seed).publicKey).toString('hex');
    expect(qemu.output).toContain(`identity: ed25519 ${publicKey}`);
    expect(qemu.output).toContain(`certificate: ${provisioned.certDer.length} bytes DER, certifies the device key`);

    await qemu.command('ping wasmbed', /echo: ping wasmbed\r\n/);
    expect(qemu.output).toContain('> ping wasmbed\r\n'); // each character echoed as it arrived

    // The board's clock keeps up with ours and does not run ahead of it.
    const wallStart = Date.now();
    const first = Number((await qemu.command('uptime', /uptime: (\d+) ms/))[1]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = Number((await qemu.command('uptime', /uptime: (\d+) ms/))[1]);
    const wall = Date.now() - wallStart;
    expect(second - first).toBeGreaterThanOrEqual(380);
    expect(second - first).toBeLessThanOrEqual(wall + 20);

    const stats = await qemu.command('stats', /rx_irqs=(\d+) tx_irqs=(\d+) rx_bytes=(\d+)/);
    expect(Number(stats[1])).toBeGreaterThan(0);
    expect(Number(stats[3])).toBeGreaterThanOrEqual('ping wasmbed\ruptime\ruptime\rstats\r'.length);
  });

  it('encodes a Hello that the reference decoder accepts', async () => {
    qemu = await QemuConsole.boot(board, elf(), (await provision(board)).image);
    await qemu.waitFor(/ready in \d+ ms/);
    const hex = (await qemu.command('hello', /hello-frame: ([0-9a-f]+)\r\n/))[1];
    const frame = Buffer.from(hex, 'hex');
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    const hello = decodeDeviceMessage(frame.subarray(4));
    expect(hello).toMatchObject({ type: 'Hello', msgId: 1, correlationId: 0 });
    expect(hello.body).toMatchObject({ board: board.name, arch: board.arch, ramBytes: 256 * 1024, maxFrameBytes: 4096, apps: [] });
  });

  it('halts with a clear error when the identity block is corrupt, and ignores input', async () => {
    const provisioned = await provision(board);
    const image = await readFile(provisioned.image);
    image[0x200 + 0x10] ^= 0x01; // one bit of the key seed: the CRC no longer matches
    const corrupt = join(work, `${board.name}-corrupt.prov`);
    await writeFile(corrupt, image);
    qemu = await QemuConsole.boot(board, elf(), corrupt);
    await qemu.waitFor(/PROVISIONING ERROR: identity block CRC-32 mismatch\r\n.*; halted/);
    qemu.send('ping\r');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(qemu.output).not.toContain('echo: ping');
    expect(qemu.output).not.toContain('ready in');
  });

  it('says so when nothing was provisioned', async () => {
    qemu = await QemuConsole.boot(board, elf());
    await qemu.waitFor(/PROVISIONING ERROR: no gateway endpoint provisioned/);
  });
});
