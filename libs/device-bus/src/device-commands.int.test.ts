import { connect, type NatsConnection } from '@nats-io/transport-node';
import { withNats } from '@wasmbed/testing';
import { ModuleNotFound, deviceCommandSubject, sendDeviceCommand, serveDeviceCommands, type DeviceBusCommand, type DeviceCommand } from './index';

const nats = withNats();
let controlPlane: NatsConnection;
let gateway: NatsConnection;

beforeAll(async () => {
  controlPlane = await connect({ servers: nats().url, noAsyncTraces: true });
  gateway = await connect({ servers: nats().url, noAsyncTraces: true });
});
afterAll(async () => {
  await controlPlane?.close();
  await gateway?.close();
});

const stop: DeviceCommand = { type: 'StopOnDevice', appId: 'blinky' };

describe('device command routing', () => {
  it('reaches the gateway serving the device and returns its reply', async () => {
    const received: DeviceBusCommand[] = [];
    const sub = serveDeviceCommands(gateway, 'dev-1', async (command) => {
      received.push(command);
      return { ok: true };
    });
    await gateway.flush();
    const rebalance: DeviceBusCommand = { type: 'RebalanceDevice', sessionId: 'session-1', endpoint: 'gw-b.lab:4423' };
    try {
      expect(await sendDeviceCommand(controlPlane, 'dev-1', stop)).toEqual({ ok: true });
      expect(await sendDeviceCommand(controlPlane, 'dev-1', rebalance)).toEqual({ ok: true });
      expect(received).toEqual([stop, rebalance]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('answers unavailable when no gateway holds the device', async () => {
    const reply = await sendDeviceCommand(controlPlane, 'dev-offline', stop);
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/offline/) } });
  });

  it('answers unavailable with an unknown outcome when the gateway does not reply in time', async () => {
    const sub = gateway.subscribe(deviceCommandSubject('dev-silent'), { callback: () => undefined });
    await gateway.flush();
    try {
      const reply = await sendDeviceCommand(controlPlane, 'dev-silent', stop, { timeoutMs: 200 });
      expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/unknown/) } });
    } finally {
      sub.unsubscribe();
    }
  });

  it('turns handler errors and malformed commands into error replies', async () => {
    const sub = serveDeviceCommands(gateway, 'dev-2', async () => {
      throw new ModuleNotFound('a'.repeat(64));
    });
    await gateway.flush();
    try {
      expect(await sendDeviceCommand(controlPlane, 'dev-2', stop)).toEqual({
        ok: false,
        error: { code: 'not_found', message: expect.stringContaining('not in the module store') },
      });
      const raw = await controlPlane.request(deviceCommandSubject('dev-2'), '{"type":"Reboot"}', { timeout: 5000 });
      expect(raw.json()).toEqual({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining('invalid device command') } });
    } finally {
      sub.unsubscribe();
    }
  });
});
