import { deviceDecider, gatewayDecider, type DeviceCommand, type GatewayCommand } from '@wasmbed/domain';
import { MemoryDocumentStore } from '@wasmbed/read-models';
import { at, META } from '../test-support/domain';
import { ProjectionDriver } from '../test-support/projection-driver';
import { COLLECTIONS, type DeviceDoc, type GatewayDoc } from './documents';
import { fleetProjection, type FleetEvent } from './fleet-projection';

const KEY = '1f'.repeat(32);
const caps = { firmware: 'fw 1', board: 'nrf52840dk', arch: 'thumbv7em', ramBytes: 1024, maxModuleBytes: 512, maxInstances: 1, hostFunctions: ['log'] };

describe('fleetProjection', () => {
  let store: MemoryDocumentStore;
  let driver: ProjectionDriver<FleetEvent>;
  // Commands decided on the state the projection's own document holds, so every event is real.
  const device = async (command: DeviceCommand) => {
    const doc = (await store.get<DeviceDoc>(COLLECTIONS.devices, 'dev-1'))?.doc;
    return driver.commit({ aggregateType: 'device', aggregateId: 'dev-1' }, deviceDecider.decide(command, doc?.device ?? { status: 'Initial' }));
  };
  const gateway = async (id: string, command: GatewayCommand) => {
    const doc = (await store.get<GatewayDoc>(COLLECTIONS.gateways, id))?.doc;
    return driver.commit({ aggregateType: 'gateway', aggregateId: id }, gatewayDecider.decide(command, doc?.gateway ?? { status: 'Initial' }));
  };
  const docOf = async <T>(collection: string, id: string) => (await store.get<T>(collection, id))?.doc;

  beforeEach(async () => {
    store = new MemoryDocumentStore();
    driver = new ProjectionDriver(fleetProjection, store, 'fleet');
    for (const id of ['gw-1', 'gw-2']) {
      await gateway(id, { type: 'RegisterGateway', data: { gatewayId: id, endpoint: `${id}.lab:1`, region: 'eu', capacity: 5 }, metadata: META });
    }
  });

  it('follows a device from registration to a session, and counts it on its gateway', async () => {
    const registered = await device({
      type: 'RegisterDevice',
      data: { deviceId: 'dev-1', publicKey: KEY, board: 'b', architecture: 'a', preferredGateway: 'gw-2' },
      metadata: META,
    });
    expect(await docOf<DeviceDoc>(COLLECTIONS.devices, 'dev-1')).toMatchObject({ device: { status: 'Pending' }, preferredGateway: 'gw-2', gateway: null, version: registered });

    await device({ type: 'RequestEnrollment', data: { deviceId: 'dev-1', publicKey: KEY, gatewayId: 'gw-1', pairingModeActive: false, autoApprove: false, capabilities: caps }, metadata: at(1) });
    const connected = await device({ type: 'MarkConnected', data: { deviceId: 'dev-1', gatewayId: 'gw-1', sessionId: 's-1' }, metadata: at(2) });
    expect(await docOf<DeviceDoc>(COLLECTIONS.devices, 'dev-1')).toMatchObject({
      device: { status: 'Connected', session: { sessionId: 's-1' }, lastHeartbeatAt: at(2).now },
      gateway: 'gw-1',
      version: connected,
    });
    expect((await docOf<GatewayDoc>(COLLECTIONS.gateways, 'gw-1'))?.connectedDevices).toEqual(['dev-1']);

    // Reconnecting elsewhere moves the count.
    await device({ type: 'MarkConnected', data: { deviceId: 'dev-1', gatewayId: 'gw-2', sessionId: 's-2' }, metadata: at(3) });
    expect((await docOf<GatewayDoc>(COLLECTIONS.gateways, 'gw-1'))?.connectedDevices).toEqual([]);
    expect((await docOf<GatewayDoc>(COLLECTIONS.gateways, 'gw-2'))?.connectedDevices).toEqual(['dev-1']);

    await device({ type: 'MarkUnreachable', data: { deviceId: 'dev-1', sessionId: 's-2', lastHeartbeatAt: at(3).now }, metadata: at(40) });
    expect((await docOf<GatewayDoc>(COLLECTIONS.gateways, 'gw-2'))?.connectedDevices).toEqual([]);
  });

  it('keeps the gateway version at its own last commit, not at device commits', async () => {
    const online = await gateway('gw-1', { type: 'ReportGatewayOnline', data: { gatewayId: 'gw-1', instanceId: 'i-1' }, metadata: at(5) });
    await device({ type: 'RegisterDevice', data: { deviceId: 'dev-1', publicKey: KEY, board: 'b', architecture: 'a' }, metadata: META });
    await device({ type: 'RequestEnrollment', data: { deviceId: 'dev-1', publicKey: KEY, gatewayId: 'gw-1', pairingModeActive: false, autoApprove: false, capabilities: caps }, metadata: at(6) });
    await device({ type: 'MarkConnected', data: { deviceId: 'dev-1', gatewayId: 'gw-1', sessionId: 's-1' }, metadata: at(7) });
    expect(await docOf<GatewayDoc>(COLLECTIONS.gateways, 'gw-1')).toMatchObject({
      gateway: { status: 'Online', instanceId: 'i-1' },
      connectedDevices: ['dev-1'],
      lastSeenAt: at(5).now,
      version: online,
    });
  });
});
