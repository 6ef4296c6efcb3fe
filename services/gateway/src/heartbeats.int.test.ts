import { decodeDeviceStatus, deviceStatusSubject, LivenessStore, type DeviceStatusMessage } from '@wasmbed/device-bus';
import type { AppSummary } from '@wasmbed/protocol';
import { deviceEventTypes, deviceStatus, eventually, registerDevice } from './test-support/fleet';
import { withGateway } from './test-support/gateway-fixture';
import { closedWithin, newDeviceIdentity, TestDevice } from './test-support/test-device';

// The protocol's shortest interval: a silent device is unreachable after 3 s.
const { gw } = withGateway({ heartbeatIntervalMs: 1_000 });

async function connected(deviceId: string): Promise<TestDevice> {
  const identity = await newDeviceIdentity(deviceId);
  await registerDevice(gw().store, deviceId, identity.keys.publicKeyHex);
  const device = await TestDevice.connect(gw().gateway.tlsPort, identity);
  const welcome = await device.enroll();
  expect(welcome.body.heartbeatIntervalMs).toBe(1_000);
  await eventually(async () => (await deviceStatus(gw().store, deviceId)) === 'Connected', 20_000, `${deviceId} Connected`);
  return device;
}

const app = (state: AppSummary['state'], restarts = 0): AppSummary => ({ appId: 'blinky', revision: 1, sha256: new Uint8Array(32).fill(7), state, restarts });

describe('heartbeats', () => {
  it('acks each heartbeat and keeps liveness in KV without an event per heartbeat; app changes become status messages', async () => {
    const device = await connected('beating-1');
    const statuses: DeviceStatusMessage[] = [];
    const sub = gw().nc.subscribe(deviceStatusSubject('beating-1'), { callback: (_err, msg) => void statuses.push(decodeDeviceStatus(msg.data)) });
    await gw().nc.flush();
    const liveness = await LivenessStore.open(gw().nc);
    const eventsBefore = await deviceEventTypes(gw().store, 'beating-1');
    try {
      const plan: [number, AppSummary[]][] = [
        [1, []],
        [2, [app('starting')]],
        [3, [app('running')]],
        [4, [app('running')]],
        [5, [app('running')]],
      ];
      for (const [seq, apps] of plan) {
        const msgId = device.send('Heartbeat', { seq, uptimeMs: seq * 1000, freeMemoryBytes: 10_000 - seq, apps });
        const ack = await device.expect('HeartbeatAck');
        expect(ack.body.seq).toBe(seq);
        expect(ack.correlationId).toBe(msgId);
        expect(Math.abs(ack.body.serverTimeMs - Date.now())).toBeLessThan(60_000);
      }
      const record = await eventually(async () => {
        const r = await liveness.get('beating-1');
        return r?.heartbeatSeq === 5 ? r : undefined;
      }, 20_000, 'liveness at heartbeat 5');
      expect(record).toMatchObject({ uptimeMs: 5000, freeMemoryBytes: 9995, apps: [{ appId: 'blinky', state: 'running', sha256: '07'.repeat(32) }] });

      await gw().nc.flush();
      await eventually(() => statuses.length >= 2, 20_000, 'two status messages');
      // starting, then running; the repeated "running" heartbeats are not news.
      expect(statuses.map((s) => s.type === 'AppStatus' && s.state)).toEqual(['starting', 'running']);
      expect(statuses[0]).toMatchObject({ deviceId: 'beating-1', gatewayId: 'gateway-1', appId: 'blinky', revision: 1 });
      expect(await deviceEventTypes(gw().store, 'beating-1')).toEqual(eventsBefore);
    } finally {
      sub.unsubscribe();
      device.close();
      await device.closed;
    }
  });

  it('marks a device unreachable and closes its session after three missed intervals', async () => {
    const device = await connected('silent-1');
    const started = Date.now();
    const error = await device.expect('Error', 20_000);
    expect(error.body).toMatchObject({ code: 'timeout', fatal: true });
    // Never before the three intervals (a little slack for the clock of another process).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
    await eventually(async () => (await deviceStatus(gw().store, 'silent-1')) === 'Unreachable', 20_000, 'device Unreachable');
    const types = await deviceEventTypes(gw().store, 'silent-1');
    expect(types.slice(-2)).toEqual(['DeviceConnected', 'DeviceUnreachable']);
    expect(types).not.toContain('DeviceDisconnected');
  });
});
