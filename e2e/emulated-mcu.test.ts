/**
 * Emulated MCUs through the whole stack: nats-server, api, gateway, app-controller,
 * device-controller and renode-manager as processes; the MCUs are QEMU running the
 * C firmware (firmware/build/<board>/wasmbed.elf) with TLS 1.3 from the MCU to the
 * gateway. Per board: renode-manager creates it → Connected in the read model → the
 * signed hello deployed through the api runs on it with the attested hash and its
 * log lines reach the api → stopped → the MCU deleted (QEMU gone, device revoked).
 * On mps2-an385 also: a tampered module never runs, and what the MCU itself refuses
 * reaches the platform as its DeployResult while it stays Connected. One MCU at a time.
 */
import { randomBytes } from 'node:crypto';
import type { Subscription } from '@nats-io/transport-node';
import {
  ALL_DEVICE_STATUS_SUBJECTS,
  LivenessStore,
  decodeDeviceStatus,
  putModule,
  sendDeviceCommand,
  type DeployResultStatus,
  type LivenessApp,
} from '@wasmbed/device-bus';
import { exampleApp, loadExampleApp } from '@wasmbed/example-apps';
import { createClient } from '@wasmbed/grpc-kit';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import {
  ApplicationPhase,
  ApplicationServiceClient,
  DeviceDeploymentPhase,
  DevicePhase,
  DeviceServiceClient,
  type Application,
  type Device,
  type GetApplicationResponse,
} from '@wasmbed/proto';
import { moduleSha256, type Manifest } from '@wasmbed/protocol';
import { eventually } from '@wasmbed/testing';
import { emuCommand, processExists } from './support/emulated-mcus';
import { storeTamperedModule } from './support/module-tamper';
import { call, createApp, deployApp, signedDeployCommand } from './support/publisher';
import { findDevice } from './support/read-model';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(120_000);

const BOOT_TIMEOUT_MS = 60_000;
const DEPLOY_TIMEOUT_MS = 60_000;

let stack: Stack;
let devices: DeviceServiceClient;
let apps: ApplicationServiceClient;
let liveness: LivenessStore;
let statusTap: Subscription;
/** Every DeployResult the gateways published (the MCU's own answers). */
const deployResults: DeployResultStatus[] = [];
const publisherSeed = randomBytes(32);
const publisherKeyHex = ed25519KeyPairFromSeed(publisherSeed).publicKeyHex;
const hello = loadExampleApp('hello');
const helloSha = Buffer.from(moduleSha256(hello)).toString('hex');

const getDevice = (name: string): Promise<Device | undefined> => findDevice(devices, name);

async function deviceWhere(name: string, what: string, accept: (d: Device) => boolean, timeoutMs = BOOT_TIMEOUT_MS): Promise<Device> {
  return eventually(`${name}: ${what}`, async () => {
    const d = await getDevice(name);
    return d !== undefined && accept(d) ? d : undefined;
  }, timeoutMs, () => `${stack.logs()}\n---- console ----\n${consoleOf(name)}`);
}

async function getApp(name: string): Promise<Application> {
  return (await call<GetApplicationResponse>((done) => apps.getApplication({ name }, done))).application!;
}

/** The device's log lines as the api serves them (console lines are application `emu.console`). */
async function apiLogs(device: string, application = ''): Promise<{ application: string; message: string; level: string }[]> {
  const query = new URLSearchParams({ tail: '1000', ...(application ? { application } : {}) });
  const res = await fetch(`${stack.apiHttp}/api/v1/devices/${device}/logs?${query}`, { headers: { authorization: `Bearer ${stack.token}` } });
  if (res.status !== 200) throw new Error(`api logs of ${device}: HTTP ${res.status}`);
  return ((await res.json()) as { lines: { application: string; message: string; level: string }[] }).lines;
}

/** Last console lines seen, for failure messages. */
const consoles = new Map<string, string>();
const consoleOf = (name: string): string => consoles.get(name) ?? '(none read)';

async function logLine(device: string, application: string, pattern: RegExp, timeoutMs = BOOT_TIMEOUT_MS): Promise<string> {
  return eventually(`${device}/${application || '*'} log line ${pattern}`, async () => {
    const lines = await apiLogs(device, application);
    if (application === 'emu.console') consoles.set(device, lines.slice(-40).map((l) => l.message).join('\n'));
    return lines.find((l) => pattern.test(l.message))?.message;
  }, timeoutMs, () => `${stack.logs()}\n---- console ----\n${consoleOf(device)}`);
}

async function attested(device: string, appId: string, accept: (a: LivenessApp) => boolean, what: string): Promise<LivenessApp> {
  return eventually(`${device}/${appId} ${what} in its heartbeats`, async () => (await liveness.get(device))?.apps.find((a) => a.appId === appId && accept(a)), DEPLOY_TIMEOUT_MS, () =>
    `${stack.logs()}\n---- console ----\n${consoleOf(device)}`,
  );
}

function manifestOf(appId: string, module: Uint8Array, app: 'hello' | 'counter', overrides: Partial<Manifest> = {}): Manifest {
  return {
    name: appId,
    revision: 1,
    sha256: moduleSha256(module),
    sizeBytes: module.length,
    entryPoint: 'run',
    hostFunctions: [...exampleApp(app).requiredHostFunctions],
    memoryLimitBytes: exampleApp(app).minMemoryBytes,
    cpuTimeLimitMs: 0,
    config: { env: {}, args: [] },
    ...overrides,
  };
}

beforeAll(async () => {
  stack = await startStack({
    heartbeatIntervalMs: 1_000,
    controllers: true,
    appControllerEnv: { WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS: '30000' },
    // The publisher the api admits is the one each MCU is provisioned to trust.
    apiEnv: { WASMBED_TRUSTED_PUBLISHER_KEYS: publisherKeyHex },
    renodeManager: { env: { WASMBED_EMU_PUBLISHER_KEYS: publisherKeyHex, WASMBED_EMU_MAX_DEVICES: '1', WASMBED_LOG_LEVEL: 'warn' } },
  });
  devices = createClient(DeviceServiceClient, stack.apiGrpc, { token: stack.token });
  apps = createClient(ApplicationServiceClient, stack.apiGrpc, { token: stack.token });
  liveness = await LivenessStore.open(stack.nc);
  statusTap = stack.nc.subscribe(ALL_DEVICE_STATUS_SUBJECTS, {
    callback: (_err, msg) => {
      const status = decodeDeviceStatus(msg.data);
      if (status.type === 'DeployResult') deployResults.push(status);
    },
  });
}, 120_000);

afterAll(async () => {
  statusTap?.unsubscribe();
  devices?.close();
  apps?.close();
  await stack?.stop();
}, 60_000);

describe.each([
  { board: 'mps2-an385', name: 'mcu-arm', architecture: 'thumbv7m' },
  { board: 'riscv32-virt', name: 'mcu-rv', architecture: 'riscv32imac' },
])('an emulated $board through the whole stack', ({ board, name, architecture }) => {
  const appName = `hello-${name}`;

  it('is created by renode-manager, boots, completes TLS 1.3 from the MCU and is Connected in the api read model', async () => {
    const created = await emuCommand(stack.nc, 'create', { name, board, labels: { suite: 'e2e' } });
    expect(created).toMatchObject({ name, architecture, phase: 'Running', run: 1 });
    expect(created.pid).toEqual(expect.any(Number));
    expect(processExists(created.pid!)).toBe(true);

    await logLine(name, 'emu.console', new RegExp(`^identity: ed25519 ${created.publicKey}$`));
    expect(await logLine(name, 'emu.console', /^tls: handshake ok\b/)).toMatch(/TLS13-/);
    const connected = await deviceWhere(name, 'Connected', (d) => d.phase === DevicePhase.DEVICE_PHASE_CONNECTED);
    expect(connected).toMatchObject({ gateway: 'gateway-e2e', architecture, labels: expect.objectContaining({ suite: 'e2e', 'wasmbed.io/emulated': 'true' }) });
    expect(Buffer.from(connected.publicKey).toString('hex')).toBe(created.publicKey);
  });

  it('heartbeats: the same session stays Connected and its heartbeat count grows over 5 intervals', async () => {
    const first = await eventually(`${name}'s first heartbeat in the liveness bucket`, async () => {
      const record = await liveness.get(name);
      return record !== undefined && record.heartbeatSeq >= 1 ? record : undefined;
    }, 15_000, () => `${stack.logs()}\n---- console ----\n${consoleOf(name)}`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const later = await liveness.get(name);
    expect(later?.sessionId).toBe(first.sessionId);
    expect(later!.heartbeatSeq).toBeGreaterThanOrEqual(first.heartbeatSeq + 3);
    const device = await getDevice(name);
    expect(device).toMatchObject({ phase: DevicePhase.DEVICE_PHASE_CONNECTED, sessionId: first.sessionId });
    // The MCU offers the runtime the signed hello needs.
    expect(device!.capabilities?.hostFunctions).toEqual(expect.arrayContaining([...exampleApp('hello').requiredHostFunctions]));
  });

  it('runs the signed hello deployed through the api: Running with the attested hash, and its log lines reach the api', async () => {
    await createApp(apps, {
      name: appName,
      revision: 1,
      module: hello,
      publisherSeed,
      requiredHostFunctions: exampleApp('hello').requiredHostFunctions,
      memoryLimitBytes: exampleApp('hello').minMemoryBytes,
      targets: { kind: { $case: 'deviceNames', value: { names: [name] } } },
    });
    await deployApp(apps, appName);
    const running = await attested(name, appName, (a) => a.state === 'running', 'running');
    expect(running.sha256).toBe(helloSha);
    const app = await eventually(`${appName} Running`, async () => {
      const a = await getApp(appName);
      return a.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING ? a : undefined;
    }, DEPLOY_TIMEOUT_MS, stack.logs);
    expect(app.revisions[0].rollout?.counts?.running).toBe(1);
    await deviceWhere(name, `${appName} Running in the read model`, (d) => d.applications.some((a) => a.application === appName && a.phase === DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING), DEPLOY_TIMEOUT_MS);
    expect(deployResults).toContainEqual(expect.objectContaining({ deviceId: name, appId: appName, revision: 1, ok: true, sha256: helloSha }));

    // hello's own output, from WAMR on the MCU through the agent and the gateway.
    await logLine(name, appName, /^Hello, Wasmbed!$/, DEPLOY_TIMEOUT_MS);
    await logLine(name, appName, /^temperature -?\d+ m°C$/, DEPLOY_TIMEOUT_MS);
  });

  it('stops the app through the api: the MCU no longer runs it', async () => {
    await call((done) => apps.stopApplication({ commandId: '', expectedVersion: 0, name: appName }, done));
    await eventually(`${appName} Stopped`, async () => (await getApp(appName)).phase === ApplicationPhase.APPLICATION_PHASE_STOPPED, DEPLOY_TIMEOUT_MS, stack.logs);
    await eventually(`${name} no longer attesting ${appName} running`, async () => {
      const record = await liveness.get(name);
      return record !== undefined && !record.apps.some((a) => a.appId === appName && a.state === 'running');
    }, DEPLOY_TIMEOUT_MS, stack.logs);
    expect((await getDevice(name))?.phase).toBe(DevicePhase.DEVICE_PHASE_CONNECTED);
  });

  if (board === 'mps2-an385') {
    it('never runs a tampered module: the stored bytes do not hash to the signed manifest, so they are not served', async () => {
      const counter = loadExampleApp('counter');
      const tampered = Uint8Array.from(counter);
      tampered[tampered.length - 1] ^= 0xff;
      await storeTamperedModule(stack.nc, counter, tampered);
      const reply = await sendDeviceCommand(stack.nc, name, signedDeployCommand('tampered', manifestOf('tampered', counter, 'counter'), publisherSeed), { timeoutMs: 30_000 });
      expect(reply.ok).toBe(false);
      expect(JSON.stringify(reply)).toMatch(/does not hash to its key|bad_hash/);
      const record = await liveness.get(name);
      expect(record?.apps.some((a) => a.appId === 'tampered')).toBe(false);
      expect((await getDevice(name))?.phase).toBe(DevicePhase.DEVICE_PHASE_CONNECTED);
    });

    it("refuses on the MCU itself what only the MCU checks: its DeployResult reaches the platform and it stays Connected", async () => {
      await putModule(stack.nc, hello);
      const session = (await getDevice(name))?.sessionId;
      // Correctly signed, but by a publisher this MCU was not provisioned to trust (the gateway does not pin publishers).
      const stranger = randomBytes(32);
      const untrusted = await sendDeviceCommand(stack.nc, name, signedDeployCommand('untrusted', manifestOf('untrusted', hello, 'hello'), stranger), { timeoutMs: 30_000 });
      expect(untrusted.ok).toBe(false);
      expect(JSON.stringify(untrusted)).toContain('untrusted_publisher');
      // More memory than the MCU has for apps (the gateway does not know its RAM budget).
      const tooBig = await sendDeviceCommand(stack.nc, name, signedDeployCommand('too-big', manifestOf('too-big', hello, 'hello', { memoryLimitBytes: 16 * 1024 * 1024 }), publisherSeed), { timeoutMs: 30_000 });
      expect(tooBig.ok).toBe(false);
      expect(JSON.stringify(tooBig)).toContain('limit_exceeded');

      await eventually('the MCU DeployResults on the status subject', async () =>
        deployResults.some((r) => r.appId === 'untrusted') && deployResults.some((r) => r.appId === 'too-big'), 15_000);
      expect(deployResults.find((r) => r.appId === 'untrusted')).toMatchObject({ deviceId: name, ok: false, error: { code: 'untrusted_publisher', message: expect.stringMatching(/not trusted by this device/) } });
      expect(deployResults.find((r) => r.appId === 'too-big')).toMatchObject({ deviceId: name, ok: false, error: { code: 'limit_exceeded', message: expect.stringMatching(/memory limit exceeds/) } });
      const after = await getDevice(name);
      expect(after).toMatchObject({ phase: DevicePhase.DEVICE_PHASE_CONNECTED, sessionId: session });
      expect((await liveness.get(name))?.apps.filter((a) => a.state === 'running')).toEqual([]);
    });
  }

  it('is deleted by renode-manager: its QEMU is gone and the device is revoked in the fleet', async () => {
    const view = await emuCommand(stack.nc, 'get', { name });
    expect(view.pid).toEqual(expect.any(Number));
    const deleted = await emuCommand(stack.nc, 'delete', { name });
    expect(deleted.phase).toBe('Deleted');
    expect(processExists(view.pid!)).toBe(false);
    const revoked = await deviceWhere(name, 'Revoked', (d) => d.phase === DevicePhase.DEVICE_PHASE_REVOKED, 15_000);
    expect(revoked.revocationReason).toMatch(/deleted by renode-manager-e2e/);
    await expect(emuCommand(stack.nc, 'get', { name })).rejects.toThrow(/not_found/);
  });
});
