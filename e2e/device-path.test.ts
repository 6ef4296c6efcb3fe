/**
 * The device path on the real stack: nats-server, the api and gateway services as
 * processes, simulated devices over TLS 1.3 with Ed25519 identities. Covers
 * enrollment (pre-registered, pairing mode, refused), Connected in the read model,
 * a signed module deployed through the device bus to Running with the attested hash,
 * admission refusals, the CPU-time limit and revocation of a live session.
 */
import { randomBytes } from 'node:crypto';
import type { ServiceError } from '@grpc/grpc-js';
import { LivenessStore, putModule, sendDeviceCommand, type DeployToDevice, type LivenessRecord } from '@wasmbed/device-bus';
import { exampleApp, loadExampleApp, type ExampleAppName } from '@wasmbed/example-apps';
import { createClient } from '@wasmbed/grpc-kit';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import { DevicePhase, DeviceServiceClient, type Device, type GetDeviceResponse } from '@wasmbed/proto';
import { moduleSha256, type Manifest } from '@wasmbed/protocol';
import { SimDevice, type DeviceState } from '@wasmbed/sim-device';
import { eventually } from '@wasmbed/testing';
import { signedDeployCommand } from './support/publisher';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

let stack: Stack;
let devices: DeviceServiceClient;
let liveness: LivenessStore;
const started: SimDevice[] = [];
const publisherSeed = randomBytes(32);
const publisherKeyHex = ed25519KeyPairFromSeed(publisherSeed).publicKeyHex;

/** A unary call as a promise: `call<Res>((done) => devices.getDevice(req, done))`. */
function call<Res>(invoke: (done: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => (err ? reject(err) : resolve(res)));
  });
}

async function getDevice(name: string): Promise<Device | undefined> {
  try {
    return (await call<GetDeviceResponse>((done) => devices.getDevice({ name }, done))).device;
  } catch (err) {
    if ((err as ServiceError).code === 5) return undefined; // NOT_FOUND: not projected yet
    throw err;
  }
}

async function phaseIs(name: string, phase: DevicePhase): Promise<Device> {
  return eventually(`${name} in ${DevicePhase[phase]}`, async () => {
    const d = await getDevice(name);
    return d?.phase === phase ? d : undefined;
  }, 30_000, stack.logs);
}

function simDevice(name: string, keySeed: Uint8Array = randomBytes(32)): SimDevice {
  const device = new SimDevice({
    name,
    gateway: stack.gatewayTls,
    gatewayCa: stack.pki.ca.certPem,
    keySeed,
    reconnectBackoff: { initialMs: 100, maxMs: 1_000, multiplier: 2, resetAfterMs: 5_000 },
  });
  started.push(device);
  return device;
}

async function stateIs(device: SimDevice, state: DeviceState): Promise<void> {
  await eventually(`${device.deviceId ?? 'device'} ${state}`, async () => (device.state === state ? true : undefined), 30_000, stack.logs);
}

function manifestFor(app: ExampleAppName, module: Uint8Array, overrides: Partial<Manifest> = {}): Manifest {
  return {
    name: app,
    revision: 1,
    sha256: moduleSha256(module),
    sizeBytes: module.length,
    entryPoint: 'run',
    hostFunctions: [...exampleApp(app).requiredHostFunctions],
    memoryLimitBytes: 1024 * 1024,
    cpuTimeLimitMs: 0,
    config: { env: {}, args: [] },
    ...overrides,
  };
}

/** Signed by `signer`, always claiming the trusted publisher's key (a forged signature then fails to verify). */
function deployCommand(appId: string, manifest: Manifest, signer: Uint8Array = publisherSeed): DeployToDevice {
  return { ...signedDeployCommand(appId, manifest, signer), publisherKey: publisherKeyHex };
}

async function attestedApp(deviceId: string, appId: string, accept: (app: LivenessRecord['apps'][number]) => boolean): Promise<LivenessRecord['apps'][number]> {
  return eventually(`${deviceId}/${appId} attested`, async () => {
    const record = await liveness.get(deviceId);
    return record?.apps.find((a) => a.appId === appId && accept(a));
  }, 30_000, stack.logs);
}

async function setPairing(enabled: boolean): Promise<void> {
  await call((done) =>
    devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled, durationSeconds: 300 }, done),
  );
}

beforeAll(async () => {
  stack = await startStack({ heartbeatIntervalMs: 1_000 });
  devices = createClient(DeviceServiceClient, stack.apiGrpc, { token: stack.token });
  liveness = await LivenessStore.open(stack.nc);
});

afterAll(async () => {
  await Promise.all(started.map((d) => d.stop()));
  devices?.close();
  await stack?.stop();
});

describe('device path on the real stack', () => {
  const preSeed = randomBytes(32);

  it('enrolls a pre-registered key on first connect and shows it Connected', async () => {
    const key = ed25519KeyPairFromSeed(preSeed);
    const request = {
      commandId: '', expectedVersion: 0, name: 'pre-1', publicKey: Buffer.from(key.publicKey), board: 'sim-board', architecture: 'wasm32-sim', labels: { site: 'lab' }, preferredGateway: '',
    };
    await call((done) => devices.registerDevice(request, done));
    expect((await getDevice('pre-1'))?.phase).toBe(DevicePhase.DEVICE_PHASE_PENDING);
    const device = simDevice('pre-1', preSeed);
    await device.start();
    await stateIs(device, 'connected');
    const seen = await phaseIs('pre-1', DevicePhase.DEVICE_PHASE_CONNECTED);
    expect(seen.gateway).toBe('gateway-e2e');
  });

  it('refuses an unknown key while pairing mode is off, and enrolls one while it is on', async () => {
    const stranger = simDevice('stranger-1');
    await stranger.start();
    await stateIs(stranger, 'rejected');
    expect(await getDevice('stranger-1')).toBeUndefined();

    await setPairing(true);
    const newcomer = simDevice('newcomer-1');
    await newcomer.start();
    await stateIs(newcomer, 'connected');
    await phaseIs('newcomer-1', DevicePhase.DEVICE_PHASE_CONNECTED);
    await setPairing(false);
  });

  it('deploys a signed module that runs with the attested hash; refuses a bad signature and a missing host function', async () => {
    const module = loadExampleApp('hello');
    await putModule(stack.nc, module);
    const manifest = manifestFor('hello', module);
    const reply = await sendDeviceCommand(stack.nc, 'pre-1', deployCommand('hello', manifest), { timeoutMs: 15_000 });
    expect(reply).toMatchObject({ ok: true });
    const running = await attestedApp('pre-1', 'hello', (a) => a.state === 'running');
    expect(running.sha256).toBe(Buffer.from(moduleSha256(module)).toString('hex'));

    const forged = await sendDeviceCommand(stack.nc, 'pre-1', deployCommand('forged', manifestFor('hello', module), randomBytes(32)), { timeoutMs: 15_000 });
    expect(forged.ok).toBe(false);
    expect(JSON.stringify(forged)).toMatch(/signature/i);

    const needsMore = manifestFor('hello', module, { hostFunctions: [...exampleApp('hello').requiredHostFunctions, 'wasmbed.camera_capture'].sort() });
    const refused = await sendDeviceCommand(stack.nc, 'pre-1', deployCommand('needs-camera', needsMore), { timeoutMs: 15_000 });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain('wasmbed.camera_capture');
  });

  it('terminates an app that exceeds its CPU-time limit and reports it failed', async () => {
    const module = loadExampleApp('busy-loop');
    await putModule(stack.nc, module);
    const reply = await sendDeviceCommand(stack.nc, 'pre-1', deployCommand('busy', manifestFor('busy-loop', module, { cpuTimeLimitMs: 300 })), { timeoutMs: 15_000 });
    expect(reply.ok).toBe(true);
    const failed = await attestedApp('pre-1', 'busy', (a) => a.state === 'failed');
    expect(JSON.stringify(failed.error)).toContain('cpu_time_limit');
  });

  it('drops a live session at once when the device is revoked, and refuses it afterwards', async () => {
    const device = started.find((d) => d.deviceId === 'newcomer-1');
    expect(device?.state).toBe('connected');
    await call((done) => devices.revokeDevice({ commandId: '', expectedVersion: 0, name: 'newcomer-1', reason: 'e2e: key compromised' }, done));
    await phaseIs('newcomer-1', DevicePhase.DEVICE_PHASE_REVOKED);
    await eventually('revoked device off the gateway', async () => (device!.state !== 'connected' ? true : undefined), 15_000, stack.logs);
    await stateIs(device!, 'rejected');
  });
});
