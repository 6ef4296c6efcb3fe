// The whole renode-manager in this process against the real platform: a real
// nats-server, the api and the gateway as their own processes (built dist), the dev
// PKI, and QEMU booting the firmware ELFs of `make -C firmware`. Emulated devices
// are provisioned, pre-registered through the api, bridged to the gateway over TLS
// from the MCU, supervised through a crash, stopped, started and deleted. The
// bridges reach the gateway through a proxy that can make a connection go silent.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LivenessStore, sendDeviceCommand } from '@wasmbed/device-bus';
import { createJsonLogger, openDomainEventStore } from '@wasmbed/service-kit';
import { eventually } from '@wasmbed/testing';
import type { JetStreamEventStore } from '@wasmbed/event-log';
import { startRenodeManager, type RunningRenodeManager } from './app';
import { loadRenodeManagerConfig } from './config';
import type { EmulatedDeviceView } from './devices/emulated-device';
import { processAlive } from './provisioning/work-dir';
import { FreezableTcpProxy } from './test-support/freezable-tcp-proxy';
import { deviceCaFiles, OPERATOR_TOKEN, startPlatformUnderTest, type PlatformUnderTest } from './test-support/platform-under-test';

jest.setTimeout(240_000);

const FIRMWARE_BUILD = resolve(__dirname, '..', '..', '..', 'firmware', 'build');
const ADMIN_TOKEN = 'renode-manager-test-admin';

let platform: PlatformUnderTest;
/** Between the bridges and the gateway: passes everything until a test freezes its connections. */
let proxy: FreezableTcpProxy;
let manager: RunningRenodeManager;
let nc: NatsConnection;
let store: JetStreamEventStore;
let workRoot: string;
/** The manager's own log (warnings and errors). */
const managerLog: string[] = [];

type Reply = { ok: true; device?: EmulatedDeviceView; devices?: EmulatedDeviceView[] } | { ok: false; error: { code: string; message: string } };

async function command(verb: string, body: unknown = {}): Promise<Reply> {
  const reply = await nc.request(`wasmbed.emu.${verb}`, JSON.stringify(body), { timeout: 90_000 });
  return JSON.parse(new TextDecoder().decode(reply.data)) as Reply;
}

async function device(verb: string, body: unknown): Promise<EmulatedDeviceView> {
  const reply = await command(verb, body);
  if (!reply.ok) throw new Error(`${verb} failed: ${reply.error.code}: ${reply.error.message}`);
  return reply.device!;
}

interface ApiLogLine {
  application: string;
  message: string;
  gateway: string;
  level: string;
}

/** The device's console as the platform has it: the api's log query. */
async function consoleLog(name: string): Promise<ApiLogLine[]> {
  const body = (await platform.api(`/api/v1/devices/${name}/logs?tail=1000`)) as { lines: ApiLogLine[] } | undefined;
  return body?.lines ?? [];
}

const waitForConsole = (name: string, pattern: RegExp, timeoutMs = 120_000) =>
  eventually(`${name}'s console to show ${pattern}`, async () => (await consoleLog(name)).find((l) => pattern.test(l.message)), timeoutMs, () =>
    `${platform.logs()}\n---- manager's view ----\n${JSON.stringify(managerView(name), null, 1)}`,
  );

const lastViews = new Map<string, EmulatedDeviceView>();
const managerView = (name: string) => lastViews.get(name);

async function deviceEvents(name: string): Promise<string[]> {
  const { events } = await store.readStream({ aggregateType: 'device', aggregateId: name });
  return events.map((e) => e.type);
}


async function httpStatus(port: number, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  for (const board of ['mps2-an385', 'riscv32-virt']) {
    if (!existsSync(join(FIRMWARE_BUILD, board, 'wasmbed.elf'))) throw new Error(`firmware/build/${board}/wasmbed.elf is missing: run make -C firmware`);
  }
  platform = await startPlatformUnderTest();
  proxy = await FreezableTcpProxy.start('127.0.0.1', platform.gatewayTlsPort);
  workRoot = await mkdtemp(join(tmpdir(), 'renode-manager-work-'));
  const ca = deviceCaFiles(platform.pkiDir);
  const config = loadRenodeManagerConfig({
    WASMBED_NATS_URL: platform.nats.url,
    WASMBED_EMU_HTTP_ADDR: '127.0.0.1:0',
    WASMBED_EMU_ID: 'emu-test',
    WASMBED_API_GRPC: `127.0.0.1:${platform.apiGrpcPort}`,
    WASMBED_API_TOKEN: OPERATOR_TOKEN,
    WASMBED_EMU_GATEWAY: `127.0.0.1:${proxy.port}`,
    // The name the gateway's certificate carries, as a device dials it.
    WASMBED_EMU_GATEWAY_ENDPOINT: `localhost:${platform.gatewayTlsPort}`,
    // Where a Bye rebalance may send a device: the second gateway (under the name its certificate carries).
    WASMBED_EMU_GATEWAY_ALLOW: `localhost:${platform.secondGateway.tlsPort}`,
    WASMBED_EMU_DEVICE_CA_CERT: ca.certFile,
    WASMBED_EMU_DEVICE_CA_KEY: ca.keyFile,
    WASMBED_EMU_WORK_DIR: workRoot,
    WASMBED_EMU_BACKENDS: 'qemu,renode',
    WASMBED_EMU_MAX_RESTARTS: '2',
    WASMBED_EMU_RESTART_BACKOFF_MS: '200',
    WASMBED_EMU_ATTACH_TIMEOUT_MS: '60000',
    WASMBED_EMU_ADMIN_TOKENS: JSON.stringify([{ subject: 'test-admin', role: 'admin', tokenSha256: createHash('sha256').update(ADMIN_TOKEN).digest('hex') }]),
    WASMBED_LOG_LEVEL: 'warn',
  });
  manager = await startRenodeManager(config, { logger: createJsonLogger('renode-manager', 'warn', (line) => managerLog.push(line)), processMetrics: false });
  nc = await connect({ servers: platform.nats.url, noAsyncTraces: true });
  store = await openDomainEventStore(nc);
}, 240_000);

afterAll(async () => {
  await manager?.stop();
  await store?.close();
  await nc?.close();
  proxy?.close();
  await platform?.stop();
  if (workRoot !== undefined) await rm(workRoot, { recursive: true, force: true });
}, 120_000);

/** Device directories below this manager's work directory. */
async function deviceDirs(): Promise<string[]> {
  const [instance] = await readdir(workRoot);
  return instance === undefined ? [] : readdir(join(workRoot, instance));
}

describe('boards the manager cannot run', () => {
  it('an unknown board, esp32 and a Renode-only board are refused with what is missing, and nothing is created', async () => {
    expect(await command('create', { name: 'emu-x', board: 'arduino-uno' })).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: "unknown board 'arduino-uno': known boards are stm32f746g-disco, frdm-k64f, nrf52840, esp32, mps2-an385, riscv" },
    });
    const esp32 = await command('create', { name: 'emu-x', board: 'esp32' });
    expect(esp32).toMatchObject({ ok: false, error: { code: 'failed_precondition' } });
    expect(!esp32.ok && esp32.error.message).toMatch(/^board esp32: no installed backend can run it \(needs an emulator with an ESP32/);
    const nrf = await command('create', { name: 'emu-x', board: 'nrf52840' });
    expect(nrf).toMatchObject({ ok: false, error: { code: 'failed_precondition', message: expect.stringContaining('board nrf52840') } });
    expect(await command('create', { name: 'Not_A_Name', board: 'mps2-an385' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await command('list')).toEqual({ ok: true, devices: [] });
    expect(await deviceDirs()).toEqual([]);
    expect(await platform.api('/api/v1/devices/emu-x')).toBeUndefined();
  });
});

describe('an emulated mps2-an385', () => {
  const name = 'emu-arm';

  it('is provisioned, pre-registered, boots, and reaches the gateway over TLS through the bridge', async () => {
    const created = await device('create', { name, board: 'mps2-an385', labels: { site: 'lab-1' } });
    lastViews.set(name, created);
    expect(created).toMatchObject({ name, board: 'mps2-an385', architecture: 'thumbv7m', backend: 'qemu', phase: 'Running', run: 1, restarts: 0 });
    expect(created.pid).toEqual(expect.any(Number));
    expect(created.publicKey).toMatch(/^[0-9a-f]{64}$/);

    // Pre-registered through the api with its key, board and labels.
    const registered = (await platform.api(`/api/v1/devices/${name}`)) as { device: { publicKey: string; board: string; architecture: string; labels: Record<string, string> } };
    expect(registered.device).toMatchObject({
      board: 'mps2-an385',
      architecture: 'thumbv7m',
      labels: { site: 'lab-1', 'wasmbed.io/emulated': 'true', 'wasmbed.io/emulator': 'qemu', 'wasmbed.io/emulated-by': 'emu-test' },
    });
    expect(Buffer.from(registered.device.publicKey, 'base64').toString('hex')).toBe(created.publicKey);

    // Its console reached the platform's device logs: the banner, the provisioned endpoint, the key the MCU derived.
    const banner = await waitForConsole(name, /^wasmbed-fw \S+ board=mps2-an385 /);
    expect(banner).toMatchObject({ application: 'emu.console', gateway: 'emu-test' });
    await waitForConsole(name, new RegExp(`^endpoint: localhost:${platform.gatewayTlsPort}$`));
    await waitForConsole(name, new RegExp(`^identity: ed25519 ${created.publicKey}$`));
    await waitForConsole(name, /^certificate: \d+ bytes DER, certifies the device key$/);

    // TLS 1.3 from the MCU through the bridge; the gateway admits the pre-registered key without approval.
    // The firmware's protocol agent prints this once the gateway's Welcome arrived.
    await waitForConsole(name, new RegExp(`^agent: welcome deviceId=${name} `));
    await eventually('DeviceEnrolled and DeviceConnected', async () => {
      const events = await deviceEvents(name);
      return events.includes('DeviceEnrolled') && events.includes('DeviceConnected');
    }, 30_000);
    const view = await device('get', { name });
    expect(view.bridge).toMatchObject({ gatewayConnections: 1, gatewayOpen: true });
    expect(view.bridge!.toGateway).toBeGreaterThan(500);
    expect(view.console.lines).toBeGreaterThan(5);
    // The private key seed is in the device directory only, owner-readable.
    const dirs = await deviceDirs();
    expect(dirs).toEqual([expect.stringMatching(new RegExp(`^${name}-`))]);
    const deviceDir = join(workRoot, (await readdir(workRoot))[0], dirs[0]);
    expect((await stat(deviceDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(deviceDir, 'provisioning.bin'))).mode & 0o777).toBe(0o600);
  });

  it('is restarted by its supervisor after its QEMU is killed', async () => {
    const before = await device('get', { name });
    process.kill(before.pid!, 'SIGKILL');
    const after = await eventually('the supervised restart', async () => {
      const view = await device('get', { name });
      lastViews.set(name, view);
      // pid is null while the new run is being launched.
      return view.phase === 'Running' && view.run === 2 && view.pid !== null ? view : undefined;
    }, 60_000);
    expect(after).toMatchObject({ restarts: 1, crashes: 1 });
    expect(after.reason).toMatch(/^qemu was killed by SIGKILL/);
    expect(after.pid).not.toBe(before.pid);
    expect(processAlive(before.pid!)).toBe(false);
    // The new run boots and connects again, over a new bridge.
    await eventually('a second banner', async () => (await consoleLog(name)).filter((l) => /^wasmbed-fw /.test(l.message)).length >= 2, 120_000, platform.logs);
    await eventually('a second Welcome', async () => (await consoleLog(name)).filter((l) => /^agent: welcome /.test(l.message)).length >= 2, 120_000, platform.logs);
  });

  it('stops, starts again, and refuses requests a stopped device cannot take', async () => {
    const running = await device('get', { name });
    const stopped = await device('stop', { name });
    expect(stopped).toMatchObject({ phase: 'Stopped', pid: null });
    expect(processAlive(running.pid!)).toBe(false);
    expect(await device('stop', { name })).toMatchObject({ phase: 'Stopped' });
    const started = await device('start', { name });
    expect(started).toMatchObject({ phase: 'Running', run: running.run + 1, crashes: 0, reason: null });
    expect(await command('create', { name, board: 'mps2-an385' })).toMatchObject({ ok: false, error: { code: 'already_exists' } });
  });

  it('is deleted: emulator ended, files removed, key revoked in the fleet', async () => {
    const running = await device('get', { name });
    const deleted = await device('delete', { name });
    expect(deleted.phase).toBe('Deleted');
    expect(processAlive(running.pid!)).toBe(false);
    expect(await command('list')).toEqual({ ok: true, devices: [] });
    expect(await deviceDirs()).toEqual([]);
    expect(await command('get', { name })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await eventually('DeviceRevoked', async () => (await deviceEvents(name)).includes('DeviceRevoked'), 15_000);
  });
});

describe('the HTTP face', () => {
  it('reports backends and boards, and runs an emulated riscv for an admin token only', async () => {
    const port = manager.httpPort;
    const status = await httpStatus(port, '/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      ready: true,
      managerId: 'emu-test',
      backends: { qemu: { enabled: true, available: true }, renode: { enabled: true } },
    });
    const boards = (status.body as { boards: { name: string; runnable: string[] }[] }).boards;
    expect(boards.find((b) => b.name === 'riscv')?.runnable).toContain('qemu');
    expect(boards.find((b) => b.name === 'esp32')?.runnable).toEqual([]);
    expect((await httpStatus(port, '/readyz')).status).toBe(200);

    const body = JSON.stringify({ name: 'emu-rv', board: 'riscv' });
    expect((await httpStatus(port, '/api/v1/emulated-devices', { method: 'POST', body })).status).toBe(401);
    expect((await httpStatus(port, '/api/v1/emulated-devices', { method: 'POST', body, headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await httpStatus(port, '/api/v1/emulated-devices', { method: 'POST', body, headers: auth });
    expect(created).toMatchObject({ status: 201, body: { device: { name: 'emu-rv', board: 'riscv', architecture: 'riscv32imac', phase: 'Running' } } });

    await waitForConsole('emu-rv', /^wasmbed-fw \S+ board=riscv32-virt /);
    await waitForConsole('emu-rv', /^agent: welcome deviceId=emu-rv /);
    expect((await httpStatus(port, '/api/v1/emulated-devices')).body).toMatchObject({ devices: [{ name: 'emu-rv', phase: 'Running' }] });
    expect((await httpStatus(port, '/api/v1/emulated-devices/emu-rv/stop', { method: 'POST' })).status).toBe(401);
    expect((await httpStatus(port, '/api/v1/emulated-devices/emu-rv', { method: 'DELETE', headers: auth })).body).toMatchObject({ device: { phase: 'Deleted' } });
    expect((await httpStatus(port, '/api/v1/emulated-devices/emu-rv')).status).toBe(404);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/wasmbed_renode_manager_events_total\{event="launch"\} [1-9]/);
    expect(metrics).toMatch(/wasmbed_renode_manager_events_total\{event="crash"\} [1-9]/);
    expect(metrics).toMatch(/wasmbed_renode_manager_bridge_anomalies\{kind="refused_endpoints"\} 0/);
  });
});

describe('a gateway connection that goes silent', () => {
  const name = 'emu-cut';

  it('the MCU gives up on its session and reconnects through the bridge on a new gateway connection', async () => {
    await device('create', { name, board: 'mps2-an385' });
    await waitForConsole(name, /^agent: welcome deviceId=emu-cut /);
    const before = await device('get', { name });
    lastViews.set(name, before);
    expect(before.bridge).toMatchObject({ gatewayOpen: true });
    // The gateway stops answering and the bridge is not told: no FIN, no RST, nothing.
    expect(proxy.freeze()).toBeGreaterThanOrEqual(1);
    const accepted = proxy.accepted;
    await waitForConsole(name, /^agent: session ended: ack_timeout/, 90_000);
    // The device's new ClientHello must open a new connection, not vanish into the silent one.
    await eventually(
      'a second Welcome',
      async () => (await consoleLog(name)).filter((l) => /^agent: welcome deviceId=emu-cut /.test(l.message)).length >= 2,
      90_000,
      () => `${platform.logs()}\n---- manager's view ----\n${JSON.stringify(lastViews.get(name), null, 1)}\n${managerLog.join('\n')}`,
    );
    expect(proxy.accepted).toBeGreaterThan(accepted);
    const after = await device('get', { name });
    lastViews.set(name, after);
    expect(after).toMatchObject({ run: 1, restarts: 0, phase: 'Running' });
    expect(after.bridge!.gatewayConnections).toBeGreaterThan(before.bridge!.gatewayConnections);
    // The console's `agent: dialing` line (after the shell's prompt) reached the bridge: the provisioned endpoint, via the proxy.
    expect(after.bridge).toMatchObject({ gatewayOpen: true, resyncs: 0, refusedEndpoints: 0, dialing: `localhost:${platform.gatewayTlsPort}`, target: `127.0.0.1:${proxy.port}` });
    expect(await device('delete', { name })).toMatchObject({ phase: 'Deleted' });
  });
});

describe('a gateway that moves its device (Bye rebalance)', () => {
  const name = 'emu-moved';

  it("the bridge follows the device to the allowed endpoint its console says it dials", async () => {
    await platform.startSecondGateway();
    const second = platform.secondGateway;
    await device('create', { name, board: 'mps2-an385' });
    await waitForConsole(name, /^agent: welcome deviceId=emu-moved /);
    const liveness = await LivenessStore.open(nc);
    const home = await eventually('the liveness record at the first gateway', async () => liveness.get(name), 30_000);
    expect(home.gatewayId).toBe(platform.gatewayId);
    // What the device-controller sends to move a device to its assigned gateway.
    const reply = await sendDeviceCommand(nc, name, { type: 'RebalanceDevice', sessionId: home.sessionId, endpoint: `localhost:${second.tlsPort}` }, { timeoutMs: 10_000 });
    expect(reply).toEqual({ ok: true });
    await waitForConsole(name, new RegExp(`agent: dialing localhost:${second.tlsPort}$`));
    const moved = await eventually(
      'the device to be served by the second gateway',
      async () => {
        const record = await liveness.get(name);
        return record?.gatewayId === second.gatewayId ? record : undefined;
      },
      90_000,
      () => `${platform.logs()}\n---- manager ----\n${managerLog.join('\n')}\n${JSON.stringify(managerView(name), null, 1)}`,
    );
    expect(moved.sessionId).not.toBe(home.sessionId);
    const view = await device('get', { name });
    lastViews.set(name, view);
    expect(view.bridge).toMatchObject({ dialing: `localhost:${second.tlsPort}`, target: `localhost:${second.tlsPort}`, gatewayOpen: true, refusedEndpoints: 0 });
    expect(managerLog.filter((line) => line.includes('not following the device'))).toEqual([]);
    expect(await device('delete', { name })).toMatchObject({ phase: 'Deleted' });
  });
});

describe('shutdown', () => {
  it('ends every emulator and removes every device file', async () => {
    const left = await device('create', { name: 'emu-left', board: 'mps2-an385' });
    await waitForConsole('emu-left', /^ready in \d+ ms/);
    const logged = managerLog.length;
    await manager.stop();
    expect(processAlive(left.pid!)).toBe(false);
    expect(await readdir(workRoot)).toEqual([]);
    // Ended for good: no supervisor brings it back (the restart backoff here is 200 ms).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(managerLog.slice(logged)).toEqual([]);
    await expect(command('list')).rejects.toThrow();
  });
});
