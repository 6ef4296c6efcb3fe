import { FleetFixture, THRESHOLD_MS, commandsOf, gatewayActor, livenessRecord, planAt } from '../test-support/fleet-fixture';

const assign = (deviceId: string, gatewayId: string) => ({ type: 'AssignGateway', data: { deviceId, gatewayId } });

/** gw-a and gw-c hold one device each; gw-b holds d1, d2 and d3 and is then drained. */
function drainingB(capacityA = 100): FleetFixture {
  return new FleetFixture()
    .onlineGateway('gw-a', 'inst-a', 0, capacityA)
    .onlineGateway('gw-b', 'inst-b')
    .onlineGateway('gw-c', 'inst-c')
    .connectedDevice('a1', 'gw-a', 's-a1', 500)
    .connectedDevice('c1', 'gw-c', 's-c1', 500)
    .connectedDevice('d3', 'gw-b', 's3', 1_000)
    .connectedDevice('d1', 'gw-b', 's1', 1_000)
    .connectedDevice('d2', 'gw-b', 's2', 1_000)
    .gateway('DrainGateway', { gatewayId: 'gw-b' }, 2_000);
}

const records = ['a1:gw-a:s-a1', 'c1:gw-c:s-c1', 'd1:gw-b:s1', 'd2:gw-b:s2', 'd3:gw-b:s3'].map((r) => {
  const [deviceId, gatewayId, sessionId] = r.split(':');
  return livenessRecord(deviceId, gatewayId, sessionId, 2_500);
});

describe('draining a gateway', () => {
  it('reassigns each of its devices to the least loaded online gateway, ties broken by name', () => {
    const fleet = drainingB();
    const plan = planAt(fleet, { nowMs: 3_000, records });
    expect(commandsOf(plan)).toEqual([assign('d1', 'gw-a'), assign('d2', 'gw-c'), assign('d3', 'gw-a')]);
    expect(plan.actions[0]).toMatchObject({ kind: 'drain_reassign', commandId: `device-controller/drain_reassign/d1/gw-b->gw-a@${fleet.state.devices.get('d1')!.version}` });
    expect(plan.drains).toEqual([{ gatewayId: 'gw-b', assigned: 3, connected: 3 }]);
    // Reassigned devices are not moved in the same pass: the move follows once the log shows the assignment.
    expect(plan.moves).toEqual([]);
  });

  it('then moves the connected ones over, and is done once they arrived', () => {
    const fleet = drainingB();
    fleet.execute(planAt(fleet, { nowMs: 3_000, records }).actions, 3_000);
    const next = planAt(fleet, { nowMs: 4_000, records });
    expect(next.actions).toEqual([]);
    expect(next.drains).toEqual([{ gatewayId: 'gw-b', assigned: 0, connected: 3 }]);
    expect(next.moves.map((m) => [m.deviceId, m.fromGateway, m.toGateway, m.endpoint])).toEqual([
      ['d1', 'gw-b', 'gw-a', 'gw-a.lab:4423'],
      ['d2', 'gw-b', 'gw-c', 'gw-c.lab:4423'],
      ['d3', 'gw-b', 'gw-a', 'gw-a.lab:4423'],
    ]);
    fleet.connectedDevice('d1', 'gw-a', 's1b', 5_000).connectedDevice('d2', 'gw-c', 's2b', 5_000).connectedDevice('d3', 'gw-a', 's3b', 5_000);
    const done = planAt(fleet, { nowMs: 6_000 });
    expect(done).toMatchObject({ actions: [], moves: [], misplaced: [], drains: [{ gatewayId: 'gw-b', assigned: 0, connected: 0 }] });
  });

  it('respects the capacity of the gateways that take the devices', () => {
    const plan = planAt(drainingB(1), { nowMs: 3_000, records });
    expect(commandsOf(plan)).toEqual([assign('d1', 'gw-c'), assign('d2', 'gw-c'), assign('d3', 'gw-c')]);
  });

  it('also reassigns devices that are not connected now, but not revoked ones', () => {
    const fleet = drainingB()
      .device('MarkDisconnected', { deviceId: 'd2', sessionId: 's2', reason: 'bye' }, 2_100, gatewayActor('gw-b'))
      .device('RevokeDevice', { deviceId: 'd3', reason: 'stolen' }, 2_200);
    expect(commandsOf(planAt(fleet, { nowMs: 3_000, records }))).toEqual([assign('d1', 'gw-a'), assign('d2', 'gw-c')]);
  });

  it('leaves the devices where they are while no other gateway can take them, and says so', () => {
    const fleet = drainingB()
      .gateway('ReportGatewayOffline', { gatewayId: 'gw-a', instanceId: 'inst-a' }, 2_100)
      .gateway('DrainGateway', { gatewayId: 'gw-c' }, 2_200);
    const plan = planAt(fleet, { nowMs: 3_000, records });
    expect(commandsOf(plan)).toEqual([]);
    expect(plan.moves).toEqual([]);
    expect(plan.drains).toEqual([
      { gatewayId: 'gw-b', assigned: 3, connected: 3, blocked: 'no other gateway is online and not draining' },
      { gatewayId: 'gw-c', assigned: 1, connected: 1, blocked: 'no other gateway is online and not draining' },
    ]);
  });

  it('goes on while the drained gateway is offline, and leaves a device that gets another command this pass for the next one', () => {
    const fleet = drainingB().gateway('ReportGatewayOffline', { gatewayId: 'gw-b', instanceId: 'inst-b' }, 2_100);
    // a1 and c1 keep heartbeating; d1..d3 fell silent with their gateway.
    const later = records.slice(0, 2).map((r) => ({ ...r, lastHeartbeatAt: new Date(Date.parse(r.lastHeartbeatAt) + THRESHOLD_MS).toISOString() }));
    const plan = planAt(fleet, { nowMs: 3_000 + THRESHOLD_MS, records: later });
    // Each is marked unreachable first, and reassigned on the next pass.
    expect(commandsOf(plan)).toEqual(['d3', 'd1', 'd2'].map((deviceId) => expect.objectContaining({ type: 'MarkUnreachable', data: expect.objectContaining({ deviceId }) })));
    fleet.execute(plan.actions, 3_000 + THRESHOLD_MS);
    expect(commandsOf(planAt(fleet, { nowMs: 4_000 + THRESHOLD_MS, records: later }))).toEqual([assign('d1', 'gw-a'), assign('d2', 'gw-c'), assign('d3', 'gw-a')]);
  });
});
