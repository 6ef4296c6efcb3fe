import { FleetFixture, gatewayActor, livenessRecord, planAt } from '../test-support/fleet-fixture';

const connectedToA = () => new FleetFixture().onlineGateway('gw-a', 'inst-1').onlineGateway('gw-b', 'inst-2').connectedDevice('d1', 'gw-a', 's1', 1_000);
const fresh = [livenessRecord('d1', 'gw-a', 's1', 59_000)];

describe('misplaced devices', () => {
  it('are listed when connected through another gateway than the assigned one, without any command', () => {
    const fleet = connectedToA().device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000);
    const plan = planAt(fleet, { nowMs: 60_000, records: fresh });
    expect(plan.misplaced).toEqual([{ deviceId: 'd1', assignedGateway: 'gw-b', connectedGateway: 'gw-a', sessionId: 's1', connectedAt: '2024-05-01T10:00:01.000Z' }]);
    expect(plan.actions).toEqual([]);
  });

  it('are not listed on the assigned gateway, nor once disconnected', () => {
    expect(planAt(connectedToA(), { nowMs: 60_000, records: fresh }).misplaced).toEqual([]);
    const moved = connectedToA()
      .device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000)
      .device('MarkDisconnected', { deviceId: 'd1', sessionId: 's1', reason: 'bye' }, 3_000, gatewayActor('gw-a'));
    expect(planAt(moved, { nowMs: 60_000 }).misplaced).toEqual([]);
  });

  it('are no longer listed after the device reconnected to the assigned gateway', () => {
    const fleet = connectedToA().device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000).connectedDevice('d1', 'gw-b', 's2', 3_000);
    expect(planAt(fleet, { nowMs: 60_000, records: [livenessRecord('d1', 'gw-b', 's2', 59_000)] }).misplaced).toEqual([]);
  });
});
