// The firmware as a Wasmbed device: the MCU's agent over TLS to the real
// gateway (built services/gateway, nats-server), apps deployed through the
// device bus as the app-controller does (module store + DeployToDevice), run by
// WAMR on the emulated MCU. What the real gateway never forwards (a bad
// signature, tampered module bytes) comes from a scripted gateway, so that the
// MCU's own checks are what refuses it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import { promisify } from 'node:util';
import type { Subscription } from '@nats-io/transport-node';
import {
  decodeDeviceLog,
  decodeDeviceStatus,
  deviceLogSubject,
  deviceStatusSubject,
  LivenessStore,
  putModule,
  sendDeviceCommand,
  type DeviceLogMessage,
  type DeviceStatusMessage,
  type LivenessRecord,
} from '@wasmbed/device-bus';
import { decodeDeviceMessage, encodeMessageFrame, FrameDecoder, type DeviceMessage, type GatewayMessage } from '@wasmbed/protocol';
import { eventually } from '@wasmbed/testing';
import { BOARDS, type BoardSpec } from './qemu-console';
import { bootDevice, provisionDevice, stopDevice, type ProvisionedDevice, type RunningDevice } from './support/emulated-device';
import { startGatewayUnderTest, type GatewayUnderTest } from './support/gateway-under-test';
import { startTlsServer } from './support/scripted-gateway';
import { deployCommand, exampleRelease, publisher, type AppRelease } from './support/signed-apps';

const run = promisify(execFile);
const FIRMWARE = join(__dirname, '..');
const HEARTBEAT_MS = 2_000;
const trusted = publisher('trusted');
const stranger = publisher('stranger');

let work: string;
let gw: GatewayUnderTest;
let liveness: LivenessStore;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wasmbed-fw-device-test-'));
  await run('make', ['-C', FIRMWARE, '-j2', ...BOARDS.map((b) => b.name)], { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
  gw = await startGatewayUnderTest({ heartbeatIntervalMs: HEARTBEAT_MS });
  liveness = await LivenessStore.open(gw.nc);
}, 960_000);

afterAll(async () => {
  await gw?.stop();
  await rm(work, { recursive: true, force: true });
}, 60_000);

/** What the gateway publishes about one device: status changes and app logs. */
class DeviceBus {
  readonly statuses: DeviceStatusMessage[] = [];
  readonly logs: DeviceLogMessage[] = [];
  private readonly subs: Subscription[];

  constructor(readonly deviceId: string) {
    this.subs = [
      gw.nc.subscribe(deviceStatusSubject(deviceId), { callback: (_e, m) => void this.statuses.push(decodeDeviceStatus(m.data)) }),
      gw.nc.subscribe(deviceLogSubject(deviceId), { callback: (_e, m) => void this.logs.push(decodeDeviceLog(m.data)) }),
    ];
  }

  status<T extends DeviceStatusMessage['type']>(type: T, match: (s: Extract<DeviceStatusMessage, { type: T }>) => boolean): Promise<Extract<DeviceStatusMessage, { type: T }>> {
    return eventually(`${type} status of ${this.deviceId}`, () => this.statuses.find((s): s is Extract<DeviceStatusMessage, { type: T }> => s.type === type && match(s as Extract<DeviceStatusMessage, { type: T }>)), 30_000, () => JSON.stringify(this.statuses, null, 1) + gw.logs());
  }

  close(): void {
    for (const s of this.subs) s.unsubscribe();
  }
}

/** The liveness record once it satisfies `match` (the gateway writes it from heartbeats and app changes). */
function livenessWhere(deviceId: string, match: (r: LivenessRecord) => boolean, timeoutMs = 30_000): Promise<LivenessRecord> {
  return eventually(`liveness of ${deviceId}`, async () => {
    const record = await liveness.get(deviceId);
    return record && match(record) ? record : undefined;
  }, timeoutMs);
}

interface Fixture {
  readonly device: ProvisionedDevice;
  readonly running: RunningDevice;
  readonly bus: DeviceBus;
}

async function connectedDevice(board: BoardSpec, name: string): Promise<Fixture> {
  const deviceId = `fw-${name}-${board.name}`;
  const device = await provisionDevice(deviceId, { dir: work, ca: gw.pki.ca, endpointPort: gw.tlsPort, publisherKeys: [trusted.keyHex] });
  await gw.registerDevice(deviceId, device.publicKeyHex, board.name, board.arch);
  const bus = new DeviceBus(deviceId);
  await gw.nc.flush();
  const running = await bootDevice(board, device, gw.tlsPort);
  await running.qemu.waitFor(new RegExp(`agent: welcome deviceId=${deviceId} at \\d+ ms`));
  // Commands reach the session once the gateway has its subscription: the liveness record comes after that.
  await livenessWhere(deviceId, () => true);
  return { device, running, bus };
}

async function deploy(f: Fixture, release: AppRelease, by = trusted): Promise<unknown> {
  await putModule(gw.nc, release.module);
  return sendDeviceCommand(gw.nc, f.device.deviceId, deployCommand(release, by), { timeoutMs: 20_000 });
}

const measured: string[] = [];

describe.each(BOARDS)('$name as a Wasmbed device', (board) => {
  let f: Fixture | undefined;

  afterEach(async () => {
    f?.bus.close();
    await stopDevice(f?.running);
    f = undefined;
  });

  it('deploys the signed hello app: verified on the MCU, Running with its attested hash in heartbeats, logs on the bus, then stopped', async () => {
    f = await connectedDevice(board, 'hello');
    const { qemu } = f.running;
    const release = exampleRelease('hello', { env: { greeting: `hi from ${board.name}` } });
    expect(await deploy(f, release)).toEqual({ ok: true });

    const result = await f.bus.status('DeployResult', (s) => s.appId === 'hello');
    expect(result).toMatchObject({ ok: true, revision: 1, sha256: release.sha256Hex });
    await f.bus.status('AppStatus', (s) => s.appId === 'hello' && s.state === 'running');
    const ok = await qemu.waitFor(new RegExp(`deploy: hello rev 1 ok sha256 ${release.sha256Hex} at (\\d+) ms`));
    await qemu.waitFor(/app: hello rev 1 running restarts 0 at \d+ ms/);

    // The app's own lines, from the MCU through AppLog to the bus (and on the console).
    await eventually('hello logs on the bus', () => (f!.bus.logs.some((l) => l.message.startsWith('temperature ')) ? true : undefined), 20_000);
    expect(f.bus.logs[0]).toMatchObject({ appId: 'hello', level: 'info', message: `hi from ${board.name}` });
    expect(qemu.output).toMatch(new RegExp(`\\[hello \\+\\d+ms\\] info: hi from ${board.name}`));

    // Heartbeats carry the hash the MCU computed over the module it runs.
    const seqAtRunning = (await liveness.get(f.device.deviceId))!.heartbeatSeq;
    const live = await livenessWhere(f.device.deviceId, (r) => r.heartbeatSeq >= seqAtRunning + 2);
    expect(live.apps).toEqual([expect.objectContaining({ appId: 'hello', revision: 1, state: 'running', sha256: release.sha256Hex })]);

    // The console keeps answering while the app runs.
    await qemu.command('uptime', /uptime: \d+ ms/);

    expect(await sendDeviceCommand(gw.nc, f.device.deviceId, { type: 'StopOnDevice', appId: 'hello' }, { timeoutMs: 20_000 })).toEqual({ ok: true });
    await f.bus.status('StopResult', (s) => s.appId === 'hello' && s.ok);
    await qemu.waitFor(/stop: hello ok/);
    await qemu.waitFor(/app: ended hello run \d+: stop_requested/);
    await livenessWhere(f.device.deviceId, (r) => r.apps.every((a) => a.appId !== 'hello' || a.state === 'stopped'));

    const ready = Number((await qemu.waitFor(/ready in (\d+) ms/))[1]);
    const welcome = Number((await qemu.waitFor(/agent: welcome deviceId=\S+ at (\d+) ms/))[1]);
    const handshake = Number((await qemu.waitFor(/tls: handshake ok in (\d+) ms/))[1]);
    const running = Number((await qemu.waitFor(/app: starting hello run \d+ \(\d+ bytes\) at (\d+) ms/))[1]);
    const requested = Number((await qemu.waitFor(/module: hello rev 1 requesting offset 0 at (\d+) ms/))[1]);
    const [, stackText, tlsHeapText] = await qemu.command('stack', /stack: main stack peak (\d+) of 8192 bytes; TLS heap \d+ bytes, peak (\d+)/);
    const stack = Number(stackText);
    measured.push(
      `${board.name}: ready ${ready} ms, TLS handshake ${handshake} ms, Welcome at ${welcome} ms after reset; ` +
        `deploy of hello (${release.module.length} B): first ModuleRequest → app running ${running - requested} ms on the MCU, DeployResult ok at ${ok[1]} ms (the command was sent at the test's pace); main stack peak ${stack} B, TLS heap peak ${tlsHeapText} B`,
    );
    // The goal is 3 s each (README, "Measured"); QEMU's clock follows the host's, and on a
    // loaded 2-core host a run has taken 2.7 s to Welcome, so the bound leaves room for that.
    expect(welcome).toBeLessThan(6_000);
    expect(running - requested).toBeLessThan(3_000);
    expect(stack).toBeLessThan(8192);
    expect(qemu.output).not.toMatch(/FAULT|FAILED/);
  });

  it('refuses an app from a publisher it does not trust, on the MCU, and keeps heartbeating', async () => {
    f = await connectedDevice(board, 'untrusted');
    const reply = await deploy(f, exampleRelease('hello'), stranger);
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/untrusted_publisher/) } });
    expect((await f.bus.status('DeployResult', (s) => s.appId === 'hello')).error).toMatchObject({ code: 'untrusted_publisher' });
    await f.running.qemu.waitFor(/deploy: hello rev 1 refused untrusted_publisher: /);
    const seq = (await liveness.get(f.device.deviceId))!.heartbeatSeq;
    const later = await livenessWhere(f.device.deviceId, (r) => r.heartbeatSeq >= seq + 2);
    expect(later.apps).toEqual([]);
  });

  it('reports a trapping app with its reason and stays up', async () => {
    f = await connectedDevice(board, 'trap');
    const release = exampleRelease('trap');
    expect(await deploy(f, release)).toEqual({ ok: true });
    const failed = await f.bus.status('AppStatus', (s) => s.appId === 'trap' && s.state === 'failed');
    expect(failed.error).toMatchObject({ code: 'trap', message: expect.stringMatching(/^trap: /) });
    await f.running.qemu.waitFor(/app: ended trap run \d+: trap: /);
    const seq = (await liveness.get(f.device.deviceId))!.heartbeatSeq;
    const later = await livenessWhere(f.device.deviceId, (r) => r.heartbeatSeq >= seq + 2);
    expect(later.apps).toEqual([expect.objectContaining({ appId: 'trap', state: 'failed', sha256: release.sha256Hex })]);
    await f.running.qemu.command('uptime', /uptime: \d+ ms/);
    expect(f.running.qemu.output).not.toContain('FAULT');
  });

  it('resumes a transfer after the link drops mid-module, and the deploy completes', async () => {
    f = await connectedDevice(board, 'drop');
    const { qemu, bridge } = f.running;
    // About 12 KiB: four chunks of 3960 bytes at the device's 4 KiB frames.
    const release = exampleRelease('hello', { appId: 'padded', padBytes: 12_000 });
    bridge.cutGatewayAfter(6_000);
    expect(await deploy(f, release)).toEqual({ ok: true });
    // The device finds out by its own timeouts (a serial line has no hang-up), then dials again.
    await qemu.waitFor(/agent: session ended: (ack_timeout|transport)/, 30_000);
    await qemu.waitFor(/tls: handshake ok in \d+ ms[^\n]*\n(?:.*\n)*?agent: welcome/, 60_000);
    expect(bridge.stats.gatewayConnections).toBeGreaterThanOrEqual(2);
    const beforeResume = qemu.output.length;
    // The control plane sends the Deploy again; the MCU asks only for what it lacks.
    await eventually('the second deploy to be accepted', async () => ((await deploy(f!, release)) as { ok: boolean }).ok || undefined, 40_000);
    const result = await f.bus.status('DeployResult', (s) => s.appId === 'padded' && s.ok);
    expect(result.sha256).toBe(release.sha256Hex);
    await qemu.waitFor(new RegExp(`app: starting padded run \\d+ \\(${release.module.length} bytes\\)`));
    // The first request after the reconnect starts past the bytes the MCU kept (not at 0).
    const resumedAt = Number(qemu.output.slice(beforeResume).match(/module: padded rev 1 requesting offset (\d+)/)![1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(release.module.length);
    expect(qemu.output.slice(0, beforeResume)).toMatch(/module: padded rev 1 requesting offset 0\b/);
    expect(qemu.output).not.toContain('FAULT');
  }, 150_000);
});

/** A gateway scripted with @wasmbed/protocol: Welcome, then whatever the test sends; answers heartbeats. */
async function scriptedSession(onMessage: (m: DeviceMessage, send: (m: Omit<GatewayMessage, 'msgId'>) => number) => void): Promise<{ server: TlsServer; port: number; received: DeviceMessage[] }> {
  const received: DeviceMessage[] = [];
  const started = await startTlsServer(gw.pki.ca, (socket) => {
    let msgId = 0;
    const send = (m: Omit<GatewayMessage, 'msgId'>): number => {
      msgId++;
      socket.write(encodeMessageFrame({ ...m, msgId } as GatewayMessage));
      return msgId;
    };
    const frames = new FrameDecoder({ maxFrameBytes: 8192 });
    socket.on('data', (chunk: Buffer) =>
      frames.push(chunk, (payload) => {
        const m = decodeDeviceMessage(payload);
        received.push(m);
        if (m.type === 'Hello') send({ type: 'Welcome', correlationId: m.msgId, body: { deviceId: 'scripted-device', gatewayId: 'scripted', heartbeatIntervalMs: HEARTBEAT_MS, serverTimeMs: Date.now() } });
        else if (m.type === 'Heartbeat') send({ type: 'HeartbeatAck', correlationId: m.msgId, body: { seq: m.body.seq, serverTimeMs: Date.now() } });
        onMessage(m, send);
      }),
    );
    socket.on('error', () => undefined);
  });
  return { server: started.server, port: started.port, received };
}

describe.each(BOARDS)('$name refuses what a gateway must never send', (board) => {
  let running: RunningDevice | undefined;
  let server: TlsServer | undefined;

  afterEach(async () => {
    await stopDevice(running);
    running = undefined;
    server?.close();
    server = undefined;
  });

  it('a bad manifest signature and module bytes changed after signing: DeployResult errors from the MCU, and it keeps heartbeating', async () => {
    const release = exampleRelease('hello');
    const tampered = Buffer.from(release.module);
    tampered[tampered.length - 1] ^= 0x01;
    const signed = deployCommand(release, trusted);
    const deployBody = (signature: string) => ({
      appId: 'hello',
      revision: 1,
      manifest: Buffer.from(signed.manifest, 'base64'),
      signature: Buffer.from(signature, 'hex'),
      publisherKey: Buffer.from(trusted.keyHex, 'hex'),
    });
    const badSignature = Buffer.from(signed.signature, 'hex');
    badSignature[10] ^= 0x40;
    let step = 0;
    const session = await scriptedSession((m, send) => {
      if (m.type === 'Heartbeat' && step === 0) {
        step = 1;
        send({ type: 'Deploy', correlationId: 0, body: deployBody(badSignature.toString('hex')) });
      } else if (m.type === 'DeployResult' && step === 1) {
        step = 2;
        send({ type: 'Deploy', correlationId: 0, body: deployBody(signed.signature) });
      } else if (m.type === 'ModuleRequest') {
        const data = tampered.subarray(m.body.offset, m.body.offset + m.body.maxBytes);
        send({ type: 'ModuleChunk', correlationId: m.msgId, body: { appId: 'hello', revision: 1, offset: m.body.offset, totalBytes: tampered.length, data } });
      }
    });
    server = session.server;
    const device = await provisionDevice(`fw-scripted-${board.name}`, { dir: work, ca: gw.pki.ca, endpointPort: session.port, publisherKeys: [trusted.keyHex] });
    running = await bootDevice(board, device, session.port);

    const results = () => session.received.filter((m): m is Extract<DeviceMessage, { type: 'DeployResult' }> => m.type === 'DeployResult');
    await eventually('two DeployResults', () => (results().length >= 2 ? true : undefined), 30_000, () => running!.qemu.output);
    expect(results()[0]!.body).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
    expect(results()[1]!.body).toMatchObject({ ok: false, error: { code: 'bad_hash' } });
    await running.qemu.waitFor(/deploy: hello rev 1 refused bad_signature: /);
    await running.qemu.waitFor(/deploy: hello rev 1 refused bad_hash: /);
    // Nothing ran, and the session goes on.
    const beats = session.received.filter((m) => m.type === 'Heartbeat').length;
    await eventually('two more heartbeats', () => (session.received.filter((m) => m.type === 'Heartbeat').length >= beats + 2 ? true : undefined), 15_000);
    expect(running.qemu.output).not.toContain('app: starting');
    expect(running.qemu.output).not.toContain('agent: session ended');
  });
});

describe('mps2-an385 restart policy', () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    f?.bus.close();
    await stopDevice(f?.running);
  });

  it('restarts a trapping app from its verified slot as often as the manifest allows', async () => {
    f = await connectedDevice(BOARDS[0]!, 'restart');
    const release = exampleRelease('trap', { appId: 'flaky', autoRestart: true, maxRestarts: 2 });
    expect(await deploy(f, release)).toEqual({ ok: true });
    // 1 s, then 2 s of backoff; each run loads a fresh copy of the slot (WAMR rewrites what it loads).
    const last = await f.bus.status('AppStatus', (s) => s.appId === 'flaky' && s.state === 'failed' && s.restarts === 2);
    expect(last.error).toMatchObject({ code: 'trap' });
    const ended = (): number => (f!.running.qemu.output.match(/app: ended flaky run \d+: trap: /g) ?? []).length;
    await eventually('three trapped runs on the console', () => (ended() >= 3 ? true : undefined), 10_000);
    // And no fourth: the policy allowed two restarts.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(f.running.qemu.output.match(/app: starting flaky run/g)).toHaveLength(3);
    expect(ended()).toBe(3);
  });
});

describe('mps2-an385 rebalanced by a Bye with an endpoint', () => {
  it('closes, dials the new endpoint with a new handshake, and gets Welcome there', async () => {
    const board = BOARDS[0]!;
    const session = await scriptedSession((m, send) => {
      if (m.type === 'Heartbeat') send({ type: 'Bye', correlationId: 0, body: { reason: 'rebalance', endpoint: `localhost:${gw.tlsPort}` } });
    });
    const deviceId = `fw-moved-${board.name}`;
    const device = await provisionDevice(deviceId, { dir: work, ca: gw.pki.ca, endpointPort: session.port });
    await gw.registerDevice(deviceId, device.publicKeyHex, board.name, board.arch);
    // The bridge dials where the device's console says it dials (a serial line carries no address).
    let running: RunningDevice | undefined;
    const route = (): number => Number([...running!.qemu.output.matchAll(/agent: dialing localhost:(\d+)/g)].pop()?.[1] ?? session.port);
    try {
      running = await bootDevice(board, device, route);
      const hello = session.received.find((m) => m.type === 'Hello');
      await running.qemu.waitFor(new RegExp(`agent: session ended: bye rebalance; next attempt in 0 ms at localhost:${gw.tlsPort}`), 20_000);
      await running.qemu.waitFor(new RegExp(`agent: welcome deviceId=${deviceId} at \\d+ ms`), 30_000);
      expect(hello ?? session.received.find((m) => m.type === 'Hello')).toMatchObject({ body: { features: expect.arrayContaining(['redirect']) } });
      expect(running.qemu.output.match(/tls: handshake ok/g)).toHaveLength(2);
      await eventually('DeviceConnected at the real gateway', async () => (await gw.deviceEventTypes(deviceId)).includes('DeviceConnected') || undefined, 15_000);
    } finally {
      await stopDevice(running);
      session.server.close();
    }
  });
});

afterAll(() => {
  if (measured.length > 0) console.log(measured.join('\n'));
});
