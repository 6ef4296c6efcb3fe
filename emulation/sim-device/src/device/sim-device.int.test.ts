import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_HOST_FUNCTIONS } from '@wasmbed/example-apps';
import { moduleSha256, type DeviceMessage, type MessageOf } from '@wasmbed/protocol';
import { ScriptedGatewayPeer, type PeerConnection, type ScriptedGatewayPeerOptions } from '../test-support/scripted-gateway-peer';
import { publishExampleApp } from '../test-support/publisher';
import { SimDevice, type SimDeviceConfig } from './sim-device';

jest.setTimeout(60_000);

const FAST_RECONNECT = { initialMs: 50, maxMs: 200, multiplier: 2, resetAfterMs: 60_000 };
const FAST_RESTART = { autoRestart: false, maxRestarts: 3, backoff: { initialMs: 20, maxMs: 100, multiplier: 2, resetAfterMs: 60_000 } };

let keyRoot: string;
const devices: SimDevice[] = [];
const peers: ScriptedGatewayPeer[] = [];

beforeAll(async () => {
  keyRoot = await mkdtemp(join(tmpdir(), 'sim-device-keys-'));
});

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.stop()));
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await rm(keyRoot, { recursive: true, force: true });
});

async function startPeer(options: ScriptedGatewayPeerOptions = {}): Promise<ScriptedGatewayPeer> {
  const peer = await ScriptedGatewayPeer.start(options);
  peers.push(peer);
  return peer;
}

let deviceCount = 0;
function makeDevice(peer: ScriptedGatewayPeer, config: Partial<SimDeviceConfig> = {}): SimDevice {
  deviceCount += 1;
  const device = new SimDevice({
    name: `sim-${deviceCount}`,
    gateway: peer.endpoint,
    gatewayCa: peer.caPem,
    keyDir: join(keyRoot, `sim-${deviceCount}`),
    reconnectBackoff: FAST_RECONNECT,
    restartDefaults: FAST_RESTART,
    ...config,
  });
  devices.push(device);
  return device;
}

/** Starts a device and returns the peer's side of its first session once it is established. */
async function connected(peer: ScriptedGatewayPeer, config: Partial<SimDeviceConfig> = {}): Promise<{ device: SimDevice; conn: PeerConnection }> {
  const device = makeDevice(peer, config);
  const next = peer.nextConnection();
  await device.start();
  const conn = await next;
  await device.waitForState('connected');
  return { device, conn };
}

const ofType = <T extends DeviceMessage['type']>(conn: PeerConnection, type: T): MessageOf<T>[] =>
  conn.received.filter((m) => m.type === type) as unknown as MessageOf<T>[];

describe('SimDevice against the scripted gateway test peer', () => {
  it('connects with TLS 1.3 and its client certificate, and says Hello with its capabilities', async () => {
    const peer = await startPeer();
    const { device, conn } = await connected(peer, { board: 'nrf52840-sim', arch: 'armv7em', ramBytes: 262_144, maxFrameBytes: 20_000 });

    expect(conn.tlsProtocol).toBe('TLSv1.3');
    expect(conn.identity?.selfSigned).toBe(true);
    expect(conn.identity?.publicKeyHex).toBe(device.publicKeyHex);
    expect(conn.identity?.commonName).toBe(device.config.name);
    expect(conn.hello).toEqual({
      firmware: 'wasmbed-sim/0.1.0',
      board: 'nrf52840-sim',
      arch: 'armv7em',
      ramBytes: 262_144,
      maxFrameBytes: 20_000,
      runtime: { name: 'wasmbed-sim-v8', version: '0.1.0', maxModuleBytes: 262_144, maxInstances: 4, hostFunctions: [...ALL_HOST_FUNCTIONS].sort() },
      apps: [],
      features: ['redirect'],
    });
    expect(device.deviceId).toBe(`dev-${device.publicKeyHex!.slice(0, 12)}`);
    expect(conn.violations).toEqual([]);

    // The identity is stored on first start: private key 0600, and reused by the next start.
    const dir = join(keyRoot, device.config.name);
    expect((await readdir(dir)).sort()).toEqual(['device.crt', 'device.key']);
    expect((await stat(join(dir, 'device.key'))).mode & 0o777).toBe(0o600);
    const again = makeDevice(peer, { name: device.config.name, keyDir: dir });
    const secondConnection = peer.nextConnection();
    await again.start();
    expect((await secondConnection).identity?.publicKeyHex).toBe(device.publicKeyHex);
  });

  it('refuses a gateway whose certificate does not chain to its CA or does not name the host', async () => {
    const peer = await startPeer();
    const otherCa = await startPeer();
    const wrongCa = makeDevice(peer, { gatewayCa: otherCa.caPem });
    const wrongName = await startPeer({ serverNames: { dnsNames: ['gateway.example'], ipAddresses: [] } });
    const misnamed = makeDevice(wrongName);

    const failures = await Promise.all(
      [wrongCa, misnamed].map(
        (device) =>
          new Promise<Error>((resolve) => {
            device.once('connectFailed', resolve);
            void device.start();
          }),
      ),
    );
    expect(failures[0].message).toMatch(/certificate/i);
    expect(failures[1].message).toMatch(/altnames|Hostname\/IP does not match/i);
    expect(peer.connections.every((c) => c.hello === undefined)).toBe(true);
    expect(wrongName.connections.every((c) => c.hello === undefined)).toBe(true);
    expect(wrongCa.state).not.toBe('connected');
    expect(misnamed.state).not.toBe('connected');
  });

  it('deploys a signed module in chunks, runs it, forwards its logs and attests its hash in heartbeats', async () => {
    const peer = await startPeer({ chunkBytes: 100 });
    const { device, conn } = await connected(peer);
    const counter = publishExampleApp('counter');
    conn.deploy(counter.deploy, counter.module);

    const result = await conn.waitFor('DeployResult');
    expect(result.body).toEqual({ appId: 'counter', revision: 1, ok: true, sha256: moduleSha256(counter.module) });
    const requests = ofType(conn, 'ModuleRequest');
    expect(requests.length).toBe(Math.ceil(counter.module.length / 100));
    expect(requests.map((r) => r.body.offset)).toEqual(requests.map((_, i) => i * 100));

    await conn.waitFor('AppStatus', (m) => m.body.state === 'stopped');
    await conn.waitFor('AppLog', (m) => m.body.message === 'count 5');
    const logs = ofType(conn, 'AppLog');
    expect(logs.map((l) => l.body.message)).toEqual(['count 1', 'count 2', 'count 3', 'count 4', 'count 5']);
    expect(logs.every((l) => l.body.appId === 'counter' && l.body.level === 'info' && l.body.timeMs > 1_600_000_000_000)).toBe(true);
    expect(ofType(conn, 'AppStatus').map((s) => s.body.state)).toEqual(['starting', 'running', 'stopped']);

    // A long-running app: the heartbeat reports it running with the hash of the bytes it runs.
    const hello = publishExampleApp('hello');
    conn.deploy(hello.deploy, hello.module);
    await conn.waitFor('DeployResult', (m) => m.body.appId === 'hello');
    const beat = await conn.waitFor('Heartbeat', (m) => m.body.apps.some((a) => a.appId === 'hello' && a.state === 'running'));
    const attested = beat.body.apps.find((a) => a.appId === 'hello')!;
    expect(attested).toEqual({ appId: 'hello', revision: 1, sha256: moduleSha256(hello.module), state: 'running', restarts: 0 });
    // counter has stopped; only hello's memory limit is reserved out of the default 4 MiB.
    expect(beat.body.freeMemoryBytes).toBe(4 * 1024 * 1024 - hello.manifest.memoryLimitBytes);
    expect(conn.violations).toEqual([]);

    conn.stop('hello');
    const stopped = await conn.waitFor('StopResult');
    expect(stopped.body).toEqual({ appId: 'hello', ok: true });
    expect(device.appSummaries().find((a) => a.appId === 'hello')?.state).toBe('stopped');
  });

  it('refuses a module whose bytes differ from the signed manifest before running anything', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer);
    const counter = publishExampleApp('counter');
    const tampered = Uint8Array.from(counter.module);
    tampered[tampered.length - 1] ^= 0xff;
    conn.deploy(counter.deploy, tampered);

    const result = await conn.waitFor('DeployResult');
    expect(result.body).toMatchObject({ appId: 'counter', ok: false, error: { code: 'bad_hash' } });
    expect(ofType(conn, 'ModuleRequest').length).toBeGreaterThan(0);
    expect(ofType(conn, 'AppStatus')).toEqual([]);
    expect(ofType(conn, 'AppLog')).toEqual([]);
  });

  it('refuses a Deploy whose manifest signature does not verify, without pulling the module', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer);
    const counter = publishExampleApp('counter');
    const signature = Uint8Array.from(counter.deploy.signature);
    signature[0] ^= 0x01;
    conn.deploy({ ...counter.deploy, signature }, counter.module);

    const result = await conn.waitFor('DeployResult');
    expect(result.body).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
    expect(ofType(conn, 'ModuleRequest')).toEqual([]);
  });

  it('refuses what the device cannot run: a missing host function, a module too large', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer, { runtime: { hostFunctions: ['wasmbed.log', 'wasmbed.sleep_ms'], maxModuleBytes: 16 * 1024 } });
    const hello = publishExampleApp('hello');
    conn.deploy(hello.deploy, hello.module);
    const missing = await conn.waitFor('DeployResult');
    expect(missing.body).toMatchObject({ appId: 'hello', ok: false, error: { code: 'missing_host_function' } });
    const big = publishExampleApp('big-64k');
    conn.deploy(big.deploy, big.module);
    const tooLarge = await conn.waitFor('DeployResult', (m) => m.body.appId === 'big-64k');
    expect(tooLarge.body).toMatchObject({ ok: false, error: { code: 'module_too_large' } });
    expect(ofType(conn, 'ModuleRequest')).toEqual([]);
  });

  it('rate-limits app logs and reports how many lines were dropped', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer, { logRate: { perSecond: 0.001, burst: 4 } });
    // memory-hog logs one line per page (16) and a warning, in a burst.
    const hog = publishExampleApp('memory-hog', { memoryLimitBytes: 16 * 65_536 });
    conn.deploy(hog.deploy, hog.module);
    await conn.waitFor('AppStatus', (m) => m.body.state === 'failed');
    const lines = ofType(conn, 'AppLog').map((l) => l.body.message);
    expect(lines).toEqual(['memory pages: 1', 'memory pages: 2', 'memory pages: 3', 'memory pages: 4', "13 log line(s) dropped by the device's rate limit"]);
  });

  it('reports a trap as failed and applies the restart policy', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer);
    const trap = publishExampleApp('trap', { restart: { autoRestart: true, maxRestarts: 1 } });
    conn.deploy(trap.deploy, trap.module);

    await conn.waitFor('AppStatus', (m) => m.body.state === 'failed' && m.body.restarts === 1);
    const statuses = ofType(conn, 'AppStatus').map((s) => `${s.body.state}/${s.body.restarts}`);
    expect(statuses).toEqual(['starting/0', 'running/0', 'failed/0', 'starting/1', 'running/1', 'failed/1']);
    const failed = ofType(conn, 'AppStatus').find((s) => s.body.state === 'failed')!;
    expect(failed.body.error).toEqual({ code: 'trap', message: expect.stringMatching(/^trap: .*unreachable/) });
    expect(ofType(conn, 'AppLog').map((l) => l.body.message)).toEqual(['about to trap', 'about to trap']);

    // No third run: maxRestarts is 1. The next heartbeat still reports the failure.
    const beat = await conn.waitFor('Heartbeat');
    expect(beat.body.apps).toEqual([expect.objectContaining({ appId: 'trap', state: 'failed', restarts: 1, error: failed.body.error })]);
  });

  it('restarts an app that returns when autoRestart asks for it, a fresh run each time', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer);
    const counter = publishExampleApp('counter', { restart: { autoRestart: true, maxRestarts: 1 } });
    conn.deploy(counter.deploy, counter.module);

    await conn.waitFor('AppStatus', (m) => m.body.state === 'stopped' && m.body.restarts === 1);
    expect(ofType(conn, 'AppStatus').map((s) => `${s.body.state}/${s.body.restarts}`)).toEqual([
      'starting/0', 'running/0', 'stopped/0', 'starting/1', 'running/1', 'stopped/1',
    ]);
    await conn.waitFor('AppLog', (m) => ofType(conn, 'AppLog').length === 10 && m.body.message === 'count 5');
    expect(ofType(conn, 'AppLog').map((l) => l.body.message.slice(-1)).join('')).toBe('1234512345');
  });

  it('boots the apps that ran before a stop when it starts again, as from flash', async () => {
    const peer = await startPeer();
    const { device, conn } = await connected(peer);
    const hello = publishExampleApp('hello');
    conn.deploy(hello.deploy, hello.module);
    await conn.waitFor('DeployResult', (m) => m.body.appId === 'hello');
    const trap = publishExampleApp('trap');
    conn.deploy(trap.deploy, trap.module);
    await conn.waitFor('AppStatus', (m) => m.body.appId === 'trap' && m.body.state === 'failed');

    await device.stop();
    expect(device.appSummaries().map((a) => `${a.appId}/${a.state}`).sort()).toEqual(['hello/stopped', 'trap/stopped']);
    const next = peer.nextConnection();
    await device.start();
    const again = await next;
    await device.waitForState('connected');
    // hello was running: it runs again; trap had failed: it stays down.
    expect(again.hello?.apps).toEqual(
      expect.arrayContaining([expect.objectContaining({ appId: 'hello', state: 'running', restarts: 0 }), expect.objectContaining({ appId: 'trap', state: 'stopped' })]),
    );
    await device.stop();
  });

  it('fails memory-hog at the memory limit and busy-loop at the CPU-time limit', async () => {
    const peer = await startPeer();
    const { conn } = await connected(peer);
    const hog = publishExampleApp('memory-hog', { memoryLimitBytes: 3 * 65_536 });
    const busy = publishExampleApp('busy-loop', { cpuTimeLimitMs: 300, env: { autoRestart: 'false' } });
    conn.deploy(hog.deploy, hog.module);
    await conn.waitFor('DeployResult', (m) => m.body.appId === 'memory-hog');
    conn.deploy(busy.deploy, busy.module);

    const hogFailed = await conn.waitFor('AppStatus', (m) => m.body.appId === 'memory-hog' && m.body.state === 'failed');
    expect(hogFailed.body.error?.code).toBe('limit_exceeded');
    expect(hogFailed.body.error?.message).toMatch(/^memory_limit: .*3 pages/);
    expect(ofType(conn, 'AppLog').filter((l) => l.body.appId === 'memory-hog').map((l) => l.body.message)).toContain(
      'memory.grow refused at 3 pages; writing past the end',
    );

    const busyFailed = await conn.waitFor('AppStatus', (m) => m.body.appId === 'busy-loop' && m.body.state === 'failed');
    expect(busyFailed.body.error).toEqual({ code: 'limit_exceeded', message: expect.stringMatching(/^cpu_time_limit: CPU-time limit of 300 ms exceeded/) });
    expect(conn.violations).toEqual([]);
  });

  it('reconnects after the peer drops the connection and resumes the transfer from its offset', async () => {
    let served = 0;
    const peer = await startPeer({
      chunkBytes: 64,
      // First connection: serve three chunks, then drop the connection instead of the fourth.
      beforeChunk: (_request, connection) => {
        if (connection !== peer.connections[0]) return true;
        served += 1;
        if (served <= 3) return true;
        connection.drop();
        return false;
      },
    });
    const { device, conn } = await connected(peer);
    const counter = publishExampleApp('counter');
    const second = peer.nextConnection();
    conn.deploy(counter.deploy, counter.module);

    const conn2 = await second;
    await device.waitForState('connected');
    expect(device.lastSessionOutcome?.end.kind).toBe('transport_closed');
    conn2.deploy(counter.deploy);

    const result = await conn2.waitFor('DeployResult');
    expect(result.body).toMatchObject({ ok: true, sha256: moduleSha256(counter.module) });
    expect(ofType(conn2, 'ModuleRequest')[0].body.offset).toBe(3 * 64);
    await conn2.waitFor('AppLog', (m) => m.body.message === 'count 5');
    expect(conn2.violations).toEqual([]);
  });

  it('follows a Bye rebalance to the gateway it names with its apps still running, and goes back home when that gateway fails', async () => {
    const home = await startPeer();
    const away = await startPeer({ ca: home.ca });
    const { device, conn } = await connected(home);
    const hello = publishExampleApp('hello');
    conn.deploy(hello.deploy, hello.module);
    await conn.waitFor('AppStatus', (m) => m.body.appId === 'hello' && m.body.state === 'running');

    const arrived = away.nextConnection();
    const redirected = new Promise<string>((resolve) => device.once('redirected', resolve));
    conn.send({ type: 'Bye', body: { reason: 'rebalance', endpoint: away.endpoint } });
    expect(await redirected).toBe(away.endpoint);
    const conn2 = await arrived;
    const helloThere = await conn2.waitFor('Hello');
    expect(device.lastSessionOutcome?.end).toMatchObject({ kind: 'bye', reason: 'rebalance', endpoint: away.endpoint });
    expect(device.gatewayEndpoint).toBe(away.endpoint);
    // The app never stopped: the new gateway hears about it from Hello, running the same bytes.
    expect(helloThere.body.apps).toEqual([{ appId: 'hello', revision: 1, sha256: moduleSha256(hello.module), state: 'running', restarts: 0 }]);
    expect(device.appSummaries().map((a) => a.state)).toEqual(['running']);
    expect(conn.violations).toEqual([]);
    expect(conn2.violations).toEqual([]);

    // The new gateway goes away for good: after three failed attempts the device dials home again.
    let failedAttempts = 0;
    device.on('connectFailed', () => (failedAttempts += 1));
    const back = home.nextConnection();
    await away.close();
    await (await back).waitFor('Hello');
    expect(failedAttempts).toBe(3);
    expect(device.gatewayEndpoint).toBe(home.endpoint);
  });

  it('without redirect support, neither announces it nor follows a Bye endpoint', async () => {
    const home = await startPeer();
    const away = await startPeer({ ca: home.ca });
    const { device, conn } = await connected(home, { followRedirects: false });
    expect(conn.hello).not.toHaveProperty('features');
    const again = home.nextConnection();
    conn.send({ type: 'Bye', body: { reason: 'rebalance', endpoint: away.endpoint } });
    await (await again).waitFor('Hello');
    expect(device.gatewayEndpoint).toBe(home.endpoint);
    expect(away.connections).toHaveLength(0);
  });

  it('waits while enrollment is pending, and stays rejected when rejected', async () => {
    const peer = await startPeer({ answerHello: () => ({ kind: 'pending', retryAfterMs: 5_000 }) });
    const device = makeDevice(peer);
    const firstConnection = peer.nextConnection();
    await device.start();
    const conn = await firstConnection;
    await conn.waitFor('Hello');
    await device.waitForState('enrolling');
    conn.answerHello({ kind: 'welcome', deviceId: 'approved-1' });
    await device.waitForState('connected');
    expect(device.deviceId).toBe('approved-1');

    const rejecting = await startPeer({ answerHello: () => ({ kind: 'rejected', code: 'revoked' }) });
    const refused = makeDevice(rejecting);
    await refused.start();
    await refused.waitForState('rejected');
    expect(refused.lastSessionOutcome?.end).toMatchObject({ kind: 'rejected', code: 'revoked' });
    await new Promise((r) => setTimeout(r, 300));
    expect(rejecting.connections.length).toBe(1);
    expect(refused.state).toBe('rejected');
  });
});
