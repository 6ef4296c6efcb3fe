import { CONTROLLER_ACTOR } from './fleet-state';
import { CAPABILITIES, FleetFixture, gatewayActor, iso } from './test-support/fleet-fixture';

describe('FleetState', () => {
  it('folds devices with the domain and remembers where the current session was opened', () => {
    const fleet = new FleetFixture().onlineGateway('gw-a', 'inst-1').connectedDevice('d1', 'gw-a', 's1', 1_000);
    const connectedAt = fleet.state.position;
    fleet.device('ReportCapabilities', { deviceId: 'd1', capabilities: { ...CAPABILITIES, ramBytes: 1 } }, 2_000, gatewayActor('gw-a'));
    const entry = fleet.state.devices.get('d1')!;
    expect(entry).toMatchObject({ device: { status: 'Connected', session: { sessionId: 's1', gatewayId: 'gw-a' } }, sessionPosition: connectedAt, unreachableByController: false });
    expect(entry.version).toBe(fleet.state.position);
    expect(entry.version).toBeGreaterThan(connectedAt);
  });

  it('drops the session position with the session', () => {
    const fleet = new FleetFixture().connectedDevice('d1', 'gw-a', 's1', 1_000).device('MarkDisconnected', { deviceId: 'd1', sessionId: 's1', reason: 'bye' }, 2_000);
    expect(fleet.state.devices.get('d1')).toMatchObject({ device: { status: 'Disconnected', session: null }, sessionPosition: null });
  });

  it('tells a controller verdict from a gateway one, and keeps the session while Unreachable', () => {
    const byGateway = new FleetFixture()
      .connectedDevice('d1', 'gw-a', 's1', 1_000)
      .device('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(1_000) }, 2_000, gatewayActor('gw-a'));
    expect(byGateway.state.devices.get('d1')).toMatchObject({ unreachableByController: false, sessionPosition: expect.any(Number), device: { status: 'Unreachable' } });
    const byController = new FleetFixture()
      .connectedDevice('d1', 'gw-a', 's1', 1_000)
      .device('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(1_000) }, 2_000, CONTROLLER_ACTOR);
    expect(byController.state.devices.get('d1')?.unreachableByController).toBe(true);
  });

  it('keeps the latest gateway instance across going offline, and who reported it offline', () => {
    const fleet = new FleetFixture().onlineGateway('gw-a', 'inst-1', 0);
    const onlineAt = fleet.state.position;
    fleet.gateway('ReportGatewayOffline', { gatewayId: 'gw-a', instanceId: 'inst-1' }, 1_000, CONTROLLER_ACTOR);
    expect(fleet.state.gateways.get('gw-a')).toMatchObject({ gateway: { status: 'Offline', instanceId: null }, instance: { instanceId: 'inst-1', onlinePosition: onlineAt }, offlineByController: true });
    fleet.onlineGateway('gw-a', 'inst-2', 2_000);
    expect(fleet.state.gateways.get('gw-a')).toMatchObject({ instance: { instanceId: 'inst-2', onlinePosition: fleet.state.position }, offlineByController: false });
  });

  it('keeps where an instance first came online when the same instance is reported online again', () => {
    const fleet = new FleetFixture().onlineGateway('gw-a', 'inst-1', 0);
    const onlineAt = fleet.state.position;
    fleet
      .gateway('ReportGatewayOffline', { gatewayId: 'gw-a', instanceId: 'inst-1' }, 1_000, CONTROLLER_ACTOR)
      .gateway('ReportGatewayOnline', { gatewayId: 'gw-a', instanceId: 'inst-1' }, 2_000, CONTROLLER_ACTOR);
    expect(fleet.state.gateways.get('gw-a')).toMatchObject({ gateway: { status: 'Online' }, instance: { instanceId: 'inst-1', onlinePosition: onlineAt } });
  });

  it('forgets the instance of a gateway registered afresh', () => {
    const fleet = new FleetFixture()
      .onlineGateway('gw-a', 'inst-1', 0)
      .gateway('ReportGatewayOffline', { gatewayId: 'gw-a', instanceId: 'inst-1' }, 1_000, gatewayActor('gw-a'))
      .gateway('DeregisterGateway', { gatewayId: 'gw-a' }, 2_000)
      .gateway('RegisterGateway', { gatewayId: 'gw-a', endpoint: 'gw-a.lab:4423', region: 'lab', capacity: 1 }, 3_000);
    expect(fleet.state.gateways.get('gw-a')).toMatchObject({ gateway: { status: 'Registered' }, instance: null, offlineByController: false });
  });
});
