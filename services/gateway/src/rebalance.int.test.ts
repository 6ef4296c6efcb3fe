import { LivenessStore, sendDeviceCommand, type DeviceCommandReply } from '@wasmbed/device-bus';
import { deviceEventTypes, deviceStatus, eventually, registerDevice } from './test-support/fleet';
import { withGateway } from './test-support/gateway-fixture';
import { closedWithin, newDeviceIdentity, TestDevice } from './test-support/test-device';

const { gw } = withGateway();
let liveness: LivenessStore;

beforeAll(async () => {
  liveness = await LivenessStore.open(gw().nc);
});

/** A registered device connected over TLS; returns it with the session the gateway opened for it. */
async function connected(deviceId: string, features?: string[]): Promise<{ device: TestDevice; sessionId: string }> {
  const identity = await newDeviceIdentity(deviceId);
  await registerDevice(gw().store, deviceId, identity.keys.publicKeyHex);
  const device = await TestDevice.connect(gw().gateway.tlsPort, identity);
  await device.enroll(features === undefined ? {} : { features });
  // Commands reach the session once it is subscribed; Connected and the liveness record come after that.
  await eventually(async () => (await deviceStatus(gw().store, deviceId)) === 'Connected', 20_000, `${deviceId} Connected`);
  const record = await eventually(async () => liveness.get(deviceId), 20_000, `${deviceId} liveness`);
  return { device, sessionId: record.sessionId };
}

const rebalance = (deviceId: string, sessionId: string, endpoint = 'gw-b.lab:4423'): Promise<DeviceCommandReply> =>
  sendDeviceCommand(gw().nc, deviceId, { type: 'RebalanceDevice', sessionId, endpoint }, { timeoutMs: 5_000 });

/** Nothing was sent before: the next message must be the ack of this heartbeat. */
async function stillServed(device: TestDevice, seq: number): Promise<void> {
  device.send('Heartbeat', { seq, uptimeMs: 1, freeMemoryBytes: 1, apps: [] });
  expect((await device.expect('HeartbeatAck')).body.seq).toBe(seq);
}

async function rebalanceCount(outcome: string): Promise<number> {
  const { text } = await gw().http('/metrics');
  const match = new RegExp(`wasmbed_gateway_rebalances_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text);
  return match ? Number(match[1]) : 0;
}

describe('RebalanceDevice', () => {
  it('sends the device Bye rebalance with the endpoint, closes, and records the session closed', async () => {
    const { device, sessionId } = await connected('mover-1', ['redirect']);
    const reply = await rebalance('mover-1', sessionId, '[fd00::b]:4423');
    expect(reply).toEqual({ ok: true });
    const bye = await device.expect('Bye');
    expect(bye.body).toEqual({ reason: 'rebalance', endpoint: '[fd00::b]:4423' });
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
    await eventually(async () => (await deviceStatus(gw().store, 'mover-1')) === 'Disconnected', 20_000, 'mover-1 Disconnected');
    expect((await deviceEventTypes(gw().store, 'mover-1')).slice(-2)).toEqual(['DeviceConnected', 'DeviceDisconnected']);
    await eventually(async () => (await liveness.get('mover-1')) === undefined, 20_000, 'liveness record removed');
    expect(await rebalanceCount('sent')).toBe(1);
  });

  it('refuses a move planned for another session of the device, and keeps serving it', async () => {
    const { device } = await connected('mover-2', ['redirect']);
    const reply = await rebalance('mover-2', 'an-older-session');
    expect(reply).toMatchObject({ ok: false, error: { code: 'failed_precondition', message: expect.stringContaining('stale') } });
    await stillServed(device, 1);
    expect(device.isClosed).toBe(false);
    expect(await rebalanceCount('stale_session')).toBe(1);
    device.close();
    await device.closed;
  });

  it('keeps a device that did not announce "redirect": it could not follow', async () => {
    const { device, sessionId } = await connected('old-device');
    const reply = await rebalance('old-device', sessionId);
    expect(reply).toMatchObject({ ok: false, error: { code: 'failed_precondition', message: expect.stringContaining('"redirect"') } });
    await stillServed(device, 1);
    expect(await deviceStatus(gw().store, 'old-device')).toBe('Connected');
    expect(await rebalanceCount('unsupported')).toBe(1);
    device.close();
    await device.closed;
  });
});
