import { withNats } from '@wasmbed/testing';
import { deviceStatus, eventually, gatewayCommand, registerDevice } from './test-support/fleet';
import { startTestGateway, type TestGateway } from './test-support/gateway-fixture';
import { closedWithin, newDeviceIdentity, TestDevice } from './test-support/test-device';

let gw: TestGateway | undefined;
afterAll(async () => {
  await gw?.stop();
}, 60_000);
const nats = withNats();

async function gatewayEvents(store: TestGateway['store'], gatewayId: string): Promise<string[]> {
  const { events } = await store.readStream({ aggregateType: 'gateway', aggregateId: gatewayId });
  return events.map((e) => e.type);
}

describe('gateway lifecycle in the event log', () => {
  it('registers itself, reports online, and on stop says Bye to its sessions, records them disconnected and reports offline', async () => {
    gw = await startTestGateway(nats().url, { gatewayId: 'gateway-life' });
    expect(await gatewayEvents(gw.store, 'gateway-life')).toEqual(['GatewayRegistered', 'GatewayOnline']);
    expect(await gw.http('/readyz')).toMatchObject({ status: 200, body: { status: 'ready', checks: { nats: 'connected', listener: 'listening', fleetLog: 'following' } } });
    const identity = await newDeviceIdentity('life-1');
    await registerDevice(gw.store, 'life-1', identity.keys.publicKeyHex);
    const device = await TestDevice.connect(gw.gateway.tlsPort, identity);
    await device.enroll();
    await eventually(async () => (await deviceStatus(gw!.store, 'life-1')) === 'Connected', 20_000, 'Connected');

    await gw.gateway.stop();
    expect((await device.expect('Bye')).body).toEqual({ reason: 'shutdown' });
    expect(await closedWithin(device.socket, 10_000)).toBe(true);
    expect(await deviceStatus(gw.store, 'life-1')).toBe('Disconnected');
    expect(await gatewayEvents(gw.store, 'gateway-life')).toEqual(['GatewayRegistered', 'GatewayOnline', 'GatewayOffline']);
    await gw.stop();
    gw = undefined;
  });

  it('records only configuration changes when it starts again, as a new instance', async () => {
    const first = await startTestGateway(nats().url, { gatewayId: 'gateway-again', capacity: 10 });
    await first.stop();
    gw = await startTestGateway(nats().url, { gatewayId: 'gateway-again', capacity: 20 });
    expect(await gatewayEvents(gw.store, 'gateway-again')).toEqual([
      'GatewayRegistered',
      'GatewayOnline',
      'GatewayOffline',
      'GatewayConfigUpdated',
      'GatewayOnline',
    ]);
    const { events } = await gw.store.readStream({ aggregateType: 'gateway', aggregateId: 'gateway-again' });
    expect(events[3].data).toMatchObject({ changes: { capacity: 20 } });
  });

  it('refuses pairing while drained, as the domain says', async () => {
    await gatewayCommand(gw!.store, 'DrainGateway', { gatewayId: 'gateway-again' });
    const refused = await eventually(async () => {
      const res = await gw!.http('/admin/pairing', { method: 'POST', token: 'test-admin-token', body: { enabled: true } });
      return res.status === 400 ? res : undefined;
    }, 20_000, 'pairing refused while draining');
    expect(refused.body).toMatchObject({ error: { code: 'failed_precondition' } });
  });
});
