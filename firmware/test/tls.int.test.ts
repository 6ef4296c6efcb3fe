// TLS 1.3 from the MCU to the real gateway: the firmware's wolfSSL client on
// QEMU, its link UART relayed byte for byte to the gateway's TLS port, mutual
// authentication with the device's Ed25519 certificate (issued by the platform
// CA of the dev PKI), then Hello and the gateway's answer. The same C code is
// also run on the host under ASan/UBSan (build/host/tls_probe).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { createCertificateAuthority } from '@wasmbed/pki';
import { encodeMessageFrame, FrameDecoder, decodeDeviceMessage, type GatewayMessage } from '@wasmbed/protocol';
import { eventually } from '@wasmbed/testing';
import { BOARDS } from './qemu-console';
import { startTlsServer } from './support/scripted-gateway';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test';
import { bootDevice, provisionDevice, type ProvisionedDevice, type RunningDevice } from './support/emulated-device';

const run = promisify(execFile);
const FIRMWARE = join(__dirname, '..');

let work: string;
let gw: GatewayUnderTest;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wasmbed-fw-tls-test-'));
  // Only what these tests run. The first build fetches wolfSSL (tools/fetch-wolfssl.sh)
  // and compiles it three times (both boards, the host).
  const targets = [...BOARDS.map((b) => b.name), 'tls-host-test'];
  await run('make', ['-C', FIRMWARE, '-j2', ...targets], { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
  gw = await startGatewayUnderTest();
}, 960_000);

afterAll(async () => {
  await gw?.stop();
  await rm(work, { recursive: true, force: true });
}, 60_000);

type Device = ProvisionedDevice;
type Running = RunningDevice;

function provision(deviceId: string, endpointPort: number): Promise<Device> {
  return provisionDevice(deviceId, { dir: work, ca: gw.pki.ca, endpointPort });
}

const measured = new Map<string, { handshakeMs: number; heapPeak: number; stackPeak: number }>();

describe('host build of the TLS layer (ASan/UBSan)', () => {
  it('completes TLS 1.3 with mutual auth against the real gateway and gets Welcome', async () => {
    const device = await provision('fw-tls-host', gw.tlsPort);
    await gw.registerDevice(device.deviceId, device.publicKeyHex, 'host', 'x86_64');
    const { stdout } = await run(join(FIRMWARE, 'build/host/tls_probe'), [device.image, '127.0.0.1', String(gw.tlsPort)], { timeout: 60_000 }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`tls_probe failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
    expect(stdout).toMatch(/tls: handshake ok in \d+ ms: TLS13-CHACHA20-POLY1305-SHA256 X25519, gateway certificate verified, max record 4096 bytes/);
    expect(stdout).toMatch(new RegExp(`agent: welcome deviceId=${device.deviceId} at \\d+ ms`));
    expect(stdout).toContain('tls_probe: ok; TLS heap now 0 bytes');
  });
});

describe.each(BOARDS)('$name over its link UART', (board) => {
  let running: Running | undefined;
  let rogue: TlsServer | undefined;

  afterEach(async () => {
    running?.bridge.close();
    await running?.qemu.stop();
    running = undefined;
    rogue?.close();
    rogue = undefined;
  });

  it('completes TLS 1.3 with mutual auth to the real gateway, and its agent gets Welcome', async () => {
    const device = await provision(`fw-tls-${board.name}`, gw.tlsPort);
    await gw.registerDevice(device.deviceId, device.publicKeyHex, board.name, board.arch);
    running = await bootDevice(board, device, gw.tlsPort);
    const { qemu } = running;

    const handshake = await qemu.waitFor(/tls: handshake ok in (\d+) ms: (\S+) (\S+), gateway certificate verified, max record (\d+) bytes, TLS heap peak (\d+) bytes/);
    expect(handshake.slice(2, 5)).toEqual(['TLS13-CHACHA20-POLY1305-SHA256', 'X25519', '4096']);
    await qemu.waitFor(new RegExp(`agent: welcome deviceId=${device.deviceId} at \\d+ ms`));
    const stack = await qemu.waitFor(/tls: main stack peak (\d+) of 8192 bytes/);
    expect(qemu.output).toContain('platform CA: 1 certificate(s)');
    expect(qemu.output).not.toContain('FAILED');

    // The gateway saw this key on a verified TLS session: the event log says connected.
    await eventually(`DeviceConnected for ${device.deviceId}`, async () => (await gw.deviceEventTypes(device.deviceId)).includes('DeviceConnected') || undefined, 15_000, gw.logs);
    expect(running.bridge.stats.gatewayConnections).toBe(1);
    // Only ciphertext went through the bridge: the Hello's board name is not in it.
    expect(running.bridge.stats.toGateway).toBeGreaterThan(500);

    // The console keeps serving while the session is open.
    await qemu.command('uptime', /uptime: \d+ ms/);
    measured.set(board.name, { handshakeMs: Number(handshake[1]), heapPeak: Number(handshake[5]), stackPeak: Number(stack[1]) });
    console.log(`${board.name}: TLS 1.3 handshake ${handshake[1]} ms on the emulated MCU, TLS heap peak ${handshake[5]} B, main stack peak ${stack[1]} B`);
  });

  it('refuses a gateway whose certificate comes from another CA, says why, and keeps running', async () => {
    const otherCa = await createCertificateAuthority({ commonName: 'Not The Platform CA', validityDays: 2 });
    let completed = 0;
    const started = await startTlsServer(otherCa, (socket) => {
      completed++;
      socket.destroy();
    });
    rogue = started.server;

    const device = await provision(`fw-rogue-${board.name}`, started.port);
    running = await bootDevice(board, device, started.port);
    const { qemu } = running;
    await qemu.waitFor(/tls: FAILED handshake: gateway certificate is not issued by the provisioned platform CA \(wolfSSL -188\)/);
    await qemu.waitFor(/agent: session ended: connect_failed; next attempt in \d+ ms at localhost:\d+/);
    // The MCU told the server why, with a TLS alert, and never finished the handshake.
    await eventually('the rogue server to see the alert', () => (started.clientErrors.length > 0 ? started.clientErrors : undefined), 10_000);
    expect(started.clientErrors[0]).toMatch(/alert/i);
    expect(completed).toBe(0);
    expect(qemu.output).not.toContain('agent: welcome');
    expect(qemu.output).not.toContain('FAULT');
    await qemu.command('uptime', /uptime: \d+ ms/);
  });

  it('takes a burst larger than its link RX ring through TLS without losing a byte', async () => {
    // A scripted gateway with a certificate from the platform CA: Welcome, then
    // 60 non-fatal Errors of 200 characters (about 15 KiB in 4 KiB records), then Bye.
    const burst = 60;
    let hello: unknown;
    const started = await startTlsServer(gw.pki.ca, (socket) => {
      const frames = new FrameDecoder({ maxFrameBytes: 4096 });
      socket.on('data', (chunk: Buffer) => {
        frames.push(chunk, (payload) => {
          hello = decodeDeviceMessage(payload);
          const messages: GatewayMessage[] = [
            { type: 'Welcome', msgId: 1, correlationId: 1, body: { deviceId: 'burst', gatewayId: 'scripted', heartbeatIntervalMs: 30_000, serverTimeMs: Date.now() } },
            ...Array.from({ length: burst }, (_, i): GatewayMessage => ({ type: 'Error', msgId: i + 2, correlationId: 0, body: { code: 'internal', fatal: false, message: `${i}:`.padEnd(200, 'x') } })),
            { type: 'Bye', msgId: burst + 2, correlationId: 0, body: { reason: 'shutdown' } },
          ];
          socket.end(Buffer.concat(messages.map((m) => encodeMessageFrame(m))));
        });
      });
      socket.on('error', () => undefined);
    });
    rogue = started.server;

    const device = await provision(`fw-burst-${board.name}`, started.port);
    running = await bootDevice(board, device, started.port);
    const { qemu } = running;
    await qemu.waitFor(/agent: session ended: bye shutdown;/, 30_000);
    // Printed when the next connection starts: the counts of the first one.
    const link = await qemu.waitFor(/link: rx_bytes=([1-9]\d*) tx_bytes=\d+ rx_holds=(\d+) rx_overruns=(\d+)/, 30_000);
    expect(hello).toMatchObject({ type: 'Hello', body: { board: board.name } });
    // The agent took every frame (a lost byte would be a framing or msgId violation: a fatal Error instead of the Bye).
    expect(qemu.output).toContain('agent: welcome deviceId=burst');
    expect(qemu.output).toContain('agent: session ended: bye shutdown;');
    expect(Number(link[1])).toBeGreaterThan(burst * 200);
    expect(Number(link[3])).toBe(0);
    console.log(`${board.name}: ${link[1]} bytes over the link, RX flow control held the UART ${link[2]} times, 0 overruns`);
  });
});

describe('mps2-an385 enrollment', () => {
  it('an unknown device in the pairing window gets EnrollmentPending and stays connected', async () => {
    const board = BOARDS[0]!;
    await gw.openPairing();
    const device = await provision('fw-tls-unknown', gw.tlsPort);
    const running = await bootDevice(board, device, gw.tlsPort);
    try {
      await running.qemu.waitFor(/agent: enrollment pending at \d+ ms/);
      await eventually('DeviceEnrollmentRequested', async () => (await gw.deviceEventTypes(device.deviceId)).includes('DeviceEnrollmentRequested') || undefined, 15_000, gw.logs);
      expect(await gw.deviceEventTypes(device.deviceId)).not.toContain('DeviceEnrolled');
      expect(running.qemu.output).not.toContain('agent: session ended');
    } finally {
      running.bridge.close();
      await running.qemu.stop();
    }
  });
});

describe('footprint', () => {
  it('keeps each board under 256 KiB of flash and 64 KiB of RAM besides the application heap', async () => {
    const maps = BOARDS.map((b) => join(FIRMWARE, 'build', b.name, 'wasmbed.map'));
    const { stdout } = await run('node', [join(FIRMWARE, 'tools/footprint.mjs'), ...maps]);
    const reports = stdout.split(/\n(?=\S+wasmbed\.map\n)/).filter((r) => r.includes('wasmbed.map'));
    expect(reports).toHaveLength(BOARDS.length);
    for (const [i, board] of BOARDS.entries()) {
      const report = reports[i]!;
      const row = (name: RegExp): [number, number] => {
        const m = report.match(new RegExp(`${name.source}\\s+(\\d+)\\s+(\\d+)`));
        expect(m).not.toBeNull();
        return [Number(m![1]), Number(m![2])];
      };
      const [wolfFlash] = row(/wolfSSL \(TLS 1\.3 client, minimal build\)/);
      const [glueFlash, glueRam] = row(/TLS glue: session, agent link, I\/O, entropy \(tls\)/);
      const [flash, staticRam] = row(/total/);
      const fixed = report.match(/interrupt stack (\d+), provisioning area (\d+), main stack (\d+)/)!.slice(1).map(Number);
      const tlsHeap = measured.get(board.name)?.heapPeak ?? 0;
      const ram = staticRam + fixed.reduce((a, b) => a + b, 0) + tlsHeap;
      console.log(
        `${board.name}: TLS layer ${wolfFlash + glueFlash} B flash (wolfSSL ${wolfFlash}, glue ${glueFlash}), ${glueRam} B static RAM + ${tlsHeap} B heap at peak; ` +
          `firmware ${flash} B flash, ${ram} B RAM besides the application heap`,
      );
      expect(flash).toBeLessThan(256 * 1024);
      expect(ram).toBeLessThan(64 * 1024);
      expect(wolfFlash).toBeGreaterThan(30_000); // wolfSSL really is linked in
    }
  });
});
