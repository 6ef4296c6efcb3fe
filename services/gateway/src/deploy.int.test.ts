import { randomBytes } from 'node:crypto';
import {
  decodeDeviceLog,
  decodeDeviceStatus,
  deviceLogSubject,
  deviceStatusSubject,
  type DeviceLogMessage,
  LivenessStore,
  putModule,
  sendDeviceCommand,
  type DeployToDevice,
  type DeviceStatusMessage,
} from '@wasmbed/device-bus';
import { encodeManifest, moduleSha256, rawEd25519PublicKey, ed25519PrivateKeyFromSeed, signManifest, type Manifest } from '@wasmbed/protocol';
import { deviceStatus, eventually, registerDevice } from './test-support/fleet';
import { withGateway } from './test-support/gateway-fixture';
import { newDeviceIdentity, TestDevice, type DeviceIdentity } from './test-support/test-device';

const { gw } = withGateway();

const publisherSeed = randomBytes(32);
const publisherKey = Buffer.from(rawEd25519PublicKey(ed25519PrivateKeyFromSeed(publisherSeed))).toString('hex');

function manifestFor(module: Uint8Array, overrides: Partial<Manifest> = {}): Manifest {
  return {
    name: 'blinky',
    revision: 1,
    sha256: moduleSha256(module),
    sizeBytes: module.length,
    entryPoint: '_start',
    hostFunctions: ['env.log'],
    memoryLimitBytes: 65_536,
    cpuTimeLimitMs: 0,
    config: { env: {}, args: [] },
    ...overrides,
  };
}

function deployCommand(manifest: Manifest, options: { signWith?: Buffer; appId?: string } = {}): DeployToDevice {
  const bytes = encodeManifest(manifest);
  return {
    type: 'DeployToDevice',
    appId: options.appId ?? 'blinky',
    revision: manifest.revision,
    manifest: Buffer.from(bytes).toString('base64'),
    signature: Buffer.from(signManifest(bytes, options.signWith ?? publisherSeed)).toString('hex'),
    publisherKey,
  };
}

async function connected(deviceId: string, identity?: DeviceIdentity): Promise<TestDevice> {
  const id = identity ?? (await newDeviceIdentity(deviceId));
  if (identity === undefined) await registerDevice(gw().store, deviceId, id.keys.publicKeyHex);
  const device = await TestDevice.connect(gw().gateway.tlsPort, id);
  await device.enroll({ maxFrameBytes: 8_192 });
  // Commands are routed to the session once its subscription is in place; Connected comes after that.
  await eventually(async () => (await deviceStatus(gw().store, deviceId)) === 'Connected', 20_000, `${deviceId} Connected`);
  return device;
}

/** Proves nothing else was sent before: the next message must be the ack of this heartbeat. */
async function expectNothingPending(device: TestDevice, seq: number): Promise<void> {
  device.send('Heartbeat', { seq, uptimeMs: 1, freeMemoryBytes: 1, apps: [] });
  expect((await device.expect('HeartbeatAck')).body.seq).toBe(seq);
}

describe('deploying over the device bus', () => {
  it('delivers a Deploy, serves the module in chunks, resumes from an offset after a reconnect and publishes the result', async () => {
    const module = randomBytes(20_000);
    await putModule(gw().nc, module);
    const manifest = manifestFor(module);
    const identity = await newDeviceIdentity('deployer-1');
    await registerDevice(gw().store, 'deployer-1', identity.keys.publicKeyHex);
    let device = await connected('deployer-1', identity);
    const statuses: DeviceStatusMessage[] = [];
    const sub = gw().nc.subscribe(deviceStatusSubject('deployer-1'), { callback: (_e, m) => void statuses.push(decodeDeviceStatus(m.data)) });

    const reply = sendDeviceCommand(gw().nc, 'deployer-1', deployCommand(manifest));
    const deploy = await device.expect('Deploy');
    expect(deploy.body).toMatchObject({ appId: 'blinky', revision: 1 });
    expect(Buffer.from(deploy.body.manifest).equals(Buffer.from(encodeManifest(manifest)))).toBe(true);

    const received = Buffer.alloc(module.length);
    const request = (offset: number) => device.send('ModuleRequest', { appId: 'blinky', revision: 1, offset, maxBytes: 16_384 });
    let requestId = request(0);
    let chunk = await device.expect('ModuleChunk');
    // The reply means "accepted and transfer started".
    expect(await reply).toEqual({ ok: true });
    // 8192-byte frames leave 8192 - 136 bytes of data per chunk.
    expect(chunk.body).toMatchObject({ offset: 0, totalBytes: module.length });
    expect(chunk.body.data.length).toBe(8_056);
    expect(chunk.correlationId).toBe(requestId);
    received.set(chunk.body.data, 0);
    requestId = request(8_056);
    chunk = await device.expect('ModuleChunk');
    received.set(chunk.body.data, chunk.body.offset);
    expect(chunk.body.offset).toBe(8_056);

    // The connection drops mid-transfer; the device comes back and resumes where it was.
    device.destroy();
    await device.closed;
    await eventually(async () => (await deviceStatus(gw().store, 'deployer-1')) === 'Disconnected', 20_000, 'Disconnected');
    device = await connected('deployer-1', identity);
    const again = sendDeviceCommand(gw().nc, 'deployer-1', deployCommand(manifest));
    await device.expect('Deploy');
    request(16_112);
    chunk = await device.expect('ModuleChunk');
    expect(chunk.body.offset).toBe(16_112);
    expect(chunk.body.data.length).toBe(module.length - 16_112);
    received.set(chunk.body.data, chunk.body.offset);
    expect(await again).toEqual({ ok: true });
    expect(received.equals(module)).toBe(true);

    device.send('DeployResult', { appId: 'blinky', revision: 1, ok: true, sha256: moduleSha256(module) });
    await eventually(() => statuses.find((s) => s.type === 'DeployResult'), 20_000, 'DeployResult status');
    expect(statuses.find((s) => s.type === 'DeployResult')).toMatchObject({ deviceId: 'deployer-1', appId: 'blinky', ok: true, sha256: Buffer.from(moduleSha256(module)).toString('hex') });
    const liveness = await LivenessStore.open(gw().nc);
    await eventually(async () => (await liveness.get('deployer-1'))?.apps.find((a) => a.appId === 'blinky'), 20_000, 'app in liveness');

    // What the app says afterwards reaches the bus too.
    const logs: DeviceLogMessage[] = [];
    const logSub = gw().nc.subscribe(deviceLogSubject('deployer-1'), { callback: (_e, m) => void logs.push(decodeDeviceLog(m.data)) });
    await gw().nc.flush();
    device.send('AppStatus', { appId: 'blinky', revision: 1, state: 'running', restarts: 0 });
    device.send('AppLog', { appId: 'blinky', level: 'info', message: 'blink', timeMs: 1_700_000_000_000 });
    await eventually(() => logs.length > 0 && statuses.some((s) => s.type === 'AppStatus' && s.state === 'running'), 20_000, 'status and log');
    expect(logs[0]).toMatchObject({ deviceId: 'deployer-1', appId: 'blinky', level: 'info', message: 'blink', deviceTimeMs: 1_700_000_000_000 });
    await eventually(async () => (await liveness.get('deployer-1'))?.apps.find((a) => a.state === 'running'), 20_000, 'running in liveness');
    logSub.unsubscribe();
    sub.unsubscribe();
    device.close();
    await device.closed;
  });

  it('refuses a manifest whose signature does not verify, without bothering the device', async () => {
    const module = randomBytes(500);
    await putModule(gw().nc, module);
    const device = await connected('deployer-2');
    const reply = await sendDeviceCommand(gw().nc, 'deployer-2', deployCommand(manifestFor(module), { signWith: randomBytes(32) }));
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_argument', message: expect.stringMatching(/^bad_signature/) } });
    await expectNothingPending(device, 1);
    device.close();
    await device.closed;
  });

  it('refuses a module the device cannot run, listing every problem', async () => {
    const module = randomBytes(500);
    await putModule(gw().nc, module);
    const device = await connected('deployer-3');
    const manifest = manifestFor(module, { hostFunctions: ['env.gpio', 'env.log', 'env.wifi'], sizeBytes: 500 });
    const reply = await sendDeviceCommand(gw().nc, 'deployer-3', deployCommand(manifest));
    expect(reply).toMatchObject({ ok: false, error: { code: 'failed_precondition' } });
    const message = reply.ok ? '' : reply.error.message;
    expect(message).toContain('missing_host_function: runtime lacks host function env.gpio');
    expect(message).toContain('env.wifi');
    await expectNothingPending(device, 1);
    device.close();
    await device.closed;
  });

  it('answers not_found for a module missing from the store', async () => {
    const device = await connected('deployer-4');
    const reply = await sendDeviceCommand(gw().nc, 'deployer-4', deployCommand(manifestFor(randomBytes(64))));
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await expectNothingPending(device, 1);
    device.close();
    await device.closed;
  });

  it('relays a device refusing the deploy, and stops an app', async () => {
    const module = randomBytes(300);
    await putModule(gw().nc, module);
    const device = await connected('deployer-5');
    const refused = sendDeviceCommand(gw().nc, 'deployer-5', deployCommand(manifestFor(module)));
    await device.expect('Deploy');
    device.send('DeployResult', { appId: 'blinky', revision: 1, ok: false, error: { code: 'untrusted_publisher', message: 'publisher not trusted' } });
    expect(await refused).toEqual({ ok: false, error: { code: 'failed_precondition', message: expect.stringContaining('untrusted_publisher') } });

    const stopped = sendDeviceCommand(gw().nc, 'deployer-5', { type: 'StopOnDevice', appId: 'blinky' });
    expect((await device.expect('Stop')).body).toEqual({ appId: 'blinky' });
    device.send('StopResult', { appId: 'blinky', ok: true });
    expect(await stopped).toEqual({ ok: true });
    device.close();
    await device.closed;
  });

  it('answers unavailable for a device without a session', async () => {
    const reply = await sendDeviceCommand(gw().nc, 'nobody-here', { type: 'StopOnDevice', appId: 'blinky' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
