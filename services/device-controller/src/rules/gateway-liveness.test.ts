import { CONTROLLER_ACTOR } from '../fleet-state';
import { FleetFixture, THRESHOLD_MS, commandsOf, gatewayActor, iso, livenessRecord, planAt } from '../test-support/fleet-fixture';

/** gw-a (instance inst-1) holds d1 and d2, connected at 1 s and 2 s. */
const twoSessions = () => new FleetFixture().onlineGateway('gw-a', 'inst-1').connectedDevice('d1', 'gw-a', 's1', 1_000).connectedDevice('d2', 'gw-a', 's2', 2_000);
const offline = { type: 'ReportGatewayOffline', data: { gatewayId: 'gw-a', instanceId: 'inst-1' } };
const LATE = 2_000 + THRESHOLD_MS + 1;

describe('gateway liveness', () => {
  it('reports the instance offline when every session it holds is stale', () => {
    const plan = planAt(twoSessions(), { nowMs: LATE });
    expect(commandsOf(plan, 'gateway')).toEqual([offline]);
    expect(commandsOf(plan, 'device').map((c) => c.type)).toEqual(['MarkUnreachable', 'MarkUnreachable']);
    expect(plan.actions.find((a) => a.target === 'gateway')).toMatchObject({ kind: 'report_gateway_offline', commandId: expect.stringMatching(/^device-controller\/report_gateway_offline\/gw-a\/inst-1@\d+$/) });
  });

  it('says nothing while one session still heartbeats', () => {
    const plan = planAt(twoSessions(), { nowMs: LATE, records: [livenessRecord('d2', 'gw-a', 's2', LATE - 1_000)] });
    expect(commandsOf(plan)).toEqual([{ type: 'MarkUnreachable', data: { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(1_000) } }]);
  });

  it('says nothing while a session is still in its grace period', () => {
    const fleet = twoSessions().connectedDevice('d3', 'gw-a', 's3', LATE - 10_000);
    expect(commandsOf(planAt(fleet, { nowMs: LATE }), 'gateway')).toEqual([]);
  });

  it('cannot judge a gateway that holds no session', () => {
    const fleet = new FleetFixture().onlineGateway('gw-a', 'inst-1');
    expect(planAt(fleet, { nowMs: 10 * THRESHOLD_MS }).actions).toEqual([]);
  });

  it('does not hold sessions of an earlier instance against the one online now', () => {
    const fleet = twoSessions().onlineGateway('gw-a', 'inst-2', 3_000);
    const plan = planAt(fleet, { nowMs: LATE });
    expect(commandsOf(plan, 'device').map((c) => c.data)).toMatchObject([{ deviceId: 'd1' }, { deviceId: 'd2' }]);
    expect(commandsOf(plan, 'gateway')).toEqual([]);
  });

  it('still reports the instance once its sessions were marked unreachable by the controller (level-triggered)', () => {
    const fleet = twoSessions();
    fleet.execute(planAt(fleet, { nowMs: LATE }).actions.filter((a) => a.target === 'device'), LATE);
    expect(commandsOf(planAt(fleet, { nowMs: LATE + 1_000 }))).toEqual([offline]);
  });

  it('does not count sessions the gateway itself closed or marked unreachable: it was alive to do so', () => {
    const fleet = twoSessions()
      .device('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(1_000) }, 91_000, gatewayActor('gw-a'))
      .device('MarkDisconnected', { deviceId: 'd2', sessionId: 's2', reason: 'bye' }, 92_000, gatewayActor('gw-a'));
    expect(planAt(fleet, { nowMs: 10 * THRESHOLD_MS }).actions).toEqual([]);
  });

  it('reports nothing once the gateway is offline, and nothing twice', () => {
    const fleet = twoSessions();
    fleet.execute(planAt(fleet, { nowMs: LATE }).actions, LATE);
    expect(fleet.state.gateways.get('gw-a')).toMatchObject({ gateway: { status: 'Offline' }, offlineByController: true });
    expect(planAt(fleet, { nowMs: LATE + 60_000 }).actions).toEqual([]);
  });

  it('reports the same instance online again when a session it held heartbeats after the verdict', () => {
    const fleet = twoSessions();
    fleet.execute(planAt(fleet, { nowMs: LATE }).actions, LATE);
    const plan = planAt(fleet, { nowMs: LATE + 5_000, records: [livenessRecord('d1', 'gw-a', 's1', LATE + 4_000)] });
    expect(commandsOf(plan)).toEqual([
      { type: 'MarkConnected', data: { deviceId: 'd1', gatewayId: 'gw-a', sessionId: 's1' } },
      { type: 'ReportGatewayOnline', data: { gatewayId: 'gw-a', instanceId: 'inst-1' } },
    ]);
    fleet.execute(plan.actions, LATE + 5_000);
    expect(fleet.state.gateways.get('gw-a')?.gateway).toMatchObject({ status: 'Online', instanceId: 'inst-1' });
  });

  it('judges the recovered instance by all its sessions again, whatever order the recovery was written in', () => {
    const fleet = twoSessions();
    fleet.execute(planAt(fleet, { nowMs: LATE }).actions, LATE);
    const recovery = planAt(fleet, { nowMs: LATE + 5_000, records: [livenessRecord('d1', 'gw-a', 's1', LATE + 4_000), livenessRecord('d2', 'gw-a', 's2', LATE + 4_000)] });
    // The device commands first: they land before the gateway's GatewayOnline in the log.
    fleet.execute([...recovery.actions].sort((a) => (a.target === 'device' ? -1 : 1)), LATE + 5_000);
    expect(fleet.state.gateways.get('gw-a')?.gateway.status).toBe('Online');
    // The gateway dies for real this time.
    const later = LATE + 5_000 + THRESHOLD_MS + 1;
    expect(commandsOf(planAt(fleet, { nowMs: later, records: [livenessRecord('d1', 'gw-a', 's1', LATE + 4_000), livenessRecord('d2', 'gw-a', 's2', LATE + 4_000)] }), 'gateway')).toEqual([offline]);
  });

  it('leaves a gateway that went offline by itself alone', () => {
    const fleet = twoSessions().gateway('ReportGatewayOffline', { gatewayId: 'gw-a', instanceId: 'inst-1' }, 5_000, gatewayActor('gw-a'));
    const plan = planAt(fleet, { nowMs: 6_000, records: [livenessRecord('d1', 'gw-a', 's1', 5_500)] });
    expect(commandsOf(plan, 'gateway')).toEqual([]);
  });

  it('treats a draining gateway like an online one', () => {
    const fleet = twoSessions().gateway('DrainGateway', { gatewayId: 'gw-a' }, 3_000);
    expect(commandsOf(planAt(fleet, { nowMs: LATE }), 'gateway')).toEqual([offline]);
  });

  it('counts a controller verdict as the controller’s, not the gateway’s', () => {
    const fleet = twoSessions().device('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(1_000) }, LATE, CONTROLLER_ACTOR);
    expect(fleet.state.devices.get('d1')?.unreachableByController).toBe(true);
    expect(commandsOf(planAt(fleet, { nowMs: LATE }), 'gateway')).toEqual([offline]);
  });
});
