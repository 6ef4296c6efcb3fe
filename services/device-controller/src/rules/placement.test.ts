import { FleetFixture, MOVE_RETRY_MS, T0, gatewayActor, livenessRecord, planAt } from '../test-support/fleet-fixture';
import type { MoveRecord } from './placement';

const connectedToA = () => new FleetFixture().onlineGateway('gw-a', 'inst-1').onlineGateway('gw-b', 'inst-2').connectedDevice('d1', 'gw-a', 's1', 1_000);
const assignedToB = () => connectedToA().device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000);
const fresh = [livenessRecord('d1', 'gw-a', 's1', 59_000)];
const sentToB = (attempts: number, atMs: number, sessionId = 's1'): Map<string, MoveRecord> =>
  new Map([['d1', { sessionId, target: 'gw-b', attempts, lastAttemptAt: T0 + atMs, lastResult: 'ok' }]]);

describe('misplaced devices', () => {
  it('are listed when connected through another gateway than the assigned one, and sent there once', () => {
    const plan = planAt(assignedToB(), { nowMs: 60_000, records: fresh });
    expect(plan.misplaced).toEqual([
      {
        deviceId: 'd1',
        assignedGateway: 'gw-b',
        connectedGateway: 'gw-a',
        sessionId: 's1',
        connectedAt: '2024-05-01T10:00:01.000Z',
        move: { state: 'sending', attempts: 0 },
      },
    ]);
    expect(plan.moves).toEqual([
      { moveId: 'device-controller/move_device/d1/s1:gw-b#1', deviceId: 'd1', sessionId: 's1', fromGateway: 'gw-a', toGateway: 'gw-b', endpoint: 'gw-b.lab:4423', attempt: 1 },
    ]);
    // A move is a device-bus command, not a domain command.
    expect(plan.actions).toEqual([]);
  });

  it('are not moved again while the move has its chance, and again, less and less often, while they stay put', () => {
    const fleet = assignedToB();
    const waiting = planAt(fleet, { nowMs: 60_000, records: fresh, moves: sentToB(1, 59_000) });
    expect(waiting.moves).toEqual([]);
    expect(waiting.misplaced[0].move).toEqual({ state: 'sent', attempts: 1, lastResult: 'ok', nextAttemptAt: new Date(T0 + 59_000 + MOVE_RETRY_MS).toISOString() });
    expect(planAt(fleet, { nowMs: 59_000 + MOVE_RETRY_MS, records: fresh, moves: sentToB(1, 59_000) }).moves).toMatchObject([{ attempt: 2, moveId: 'device-controller/move_device/d1/s1:gw-b#2' }]);
    // The second retry waits twice as long.
    expect(planAt(fleet, { nowMs: 59_000 + 2 * MOVE_RETRY_MS - 1, records: fresh, moves: sentToB(2, 59_000) }).moves).toEqual([]);
    expect(planAt(fleet, { nowMs: 59_000 + 2 * MOVE_RETRY_MS, records: fresh, moves: sentToB(2, 59_000) }).moves).toMatchObject([{ attempt: 3 }]);
  });

  it('that came back on a new session still wait for the retry delay (they may have failed to reach the target)', () => {
    const fleet = assignedToB().connectedDevice('d1', 'gw-a', 's2', 3_000);
    expect(planAt(fleet, { nowMs: 4_000, moves: sentToB(1, 2_500) }).moves).toEqual([]);
    expect(planAt(fleet, { nowMs: 2_500 + MOVE_RETRY_MS, moves: sentToB(1, 2_500) }).moves).toMatchObject([{ sessionId: 's2', attempt: 2, moveId: 'device-controller/move_device/d1/s2:gw-b#2' }]);
  });

  it('start over when assigned to yet another gateway', () => {
    const fleet = assignedToB().onlineGateway('gw-c', 'inst-3').device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-c' }, 3_000);
    expect(planAt(fleet, { nowMs: 4_000, moves: sentToB(1, 3_500) }).moves).toMatchObject([{ toGateway: 'gw-c', endpoint: 'gw-c.lab:4423', attempt: 1 }]);
  });

  it.each([
    ['is not registered', (f: FleetFixture) => f.device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-nowhere' }, 2_000), "gateway 'gw-nowhere' is not registered"],
    ['is offline', (f: FleetFixture) => f.gateway('ReportGatewayOffline', { gatewayId: 'gw-b', instanceId: 'inst-2' }, 1_500).device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000), "gateway 'gw-b' is offline"],
    [
      'never came online',
      (f: FleetFixture) =>
        f.gateway('RegisterGateway', { gatewayId: 'gw-new', endpoint: 'gw-new.lab:4423', region: 'lab', capacity: 10 }, 1_500).device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-new' }, 2_000),
      "gateway 'gw-new' is not online yet",
    ],
  ])('stay where they are when the assigned gateway %s, and the status says why', (_what, arrange, reason) => {
    const plan = planAt(arrange(connectedToA()), { nowMs: 60_000, records: fresh });
    expect(plan.moves).toEqual([]);
    expect(plan.actions).toEqual([]);
    expect(plan.misplaced).toEqual([expect.objectContaining({ deviceId: 'd1', connectedGateway: 'gw-a', move: { state: 'blocked', reason, attempts: 0 } })]);
  });

  it('assigned to a draining gateway are not moved there: the drain reassigns them to an online gateway instead', () => {
    const fleet = connectedToA().gateway('DrainGateway', { gatewayId: 'gw-b' }, 1_500).device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000);
    const plan = planAt(fleet, { nowMs: 60_000, records: fresh });
    expect(plan.moves).toEqual([]);
    expect(plan.misplaced[0].move).toEqual({ state: 'blocked', reason: "gateway 'gw-b' is draining", attempts: 0 });
    // gw-a, where it is, is the only gateway online and not draining.
    expect(plan.actions.map((a) => [a.kind, a.command.data])).toEqual([['drain_reassign', { deviceId: 'd1', gatewayId: 'gw-a' }]]);
  });

  it('are not sent to a gateway that is full', () => {
    const fleet = new FleetFixture()
      .onlineGateway('gw-a', 'inst-1')
      .onlineGateway('gw-b', 'inst-2', 0, 1)
      .connectedDevice('d0', 'gw-b', 's0', 500)
      .connectedDevice('d1', 'gw-a', 's1', 1_000)
      .device('AssignGateway', { deviceId: 'd1', gatewayId: 'gw-b' }, 2_000);
    const plan = planAt(fleet, { nowMs: 3_000 });
    expect(plan.moves).toEqual([]);
    expect(plan.misplaced[0].move).toEqual({ state: 'blocked', reason: "gateway 'gw-b' is full (capacity 1)", attempts: 0 });
  });

  it('are moved a batch per pass, in name order', () => {
    let fleet = new FleetFixture().onlineGateway('gw-a', 'inst-1').onlineGateway('gw-b', 'inst-2');
    for (const id of ['d3', 'd1', 'd2']) fleet = fleet.connectedDevice(id, 'gw-a', `s-${id}`, 1_000).device('AssignGateway', { deviceId: id, gatewayId: 'gw-b' }, 2_000);
    const plan = planAt(fleet, { nowMs: 3_000, movePolicy: { maxPerPass: 2 } });
    expect(plan.moves.map((m) => m.deviceId)).toEqual(['d1', 'd2']);
    expect(plan.misplaced.map((m) => [m.deviceId, m.move.state])).toEqual([
      ['d1', 'sending'],
      ['d2', 'sending'],
      ['d3', 'queued'],
    ]);
    expect(planAt(fleet, { nowMs: 3_000, movePolicy: { maxPerPass: 2 } })).toEqual(plan);
  });

  it('are not listed on the assigned gateway, nor once disconnected', () => {
    expect(planAt(connectedToA(), { nowMs: 60_000, records: fresh }).misplaced).toEqual([]);
    const moved = assignedToB().device('MarkDisconnected', { deviceId: 'd1', sessionId: 's1', reason: 'bye' }, 3_000, gatewayActor('gw-a'));
    const plan = planAt(moved, { nowMs: 60_000 });
    expect(plan.misplaced).toEqual([]);
    expect(plan.moves).toEqual([]);
  });

  it('are no longer listed after the device reconnected to the assigned gateway', () => {
    const fleet = assignedToB().connectedDevice('d1', 'gw-b', 's2', 3_000);
    const plan = planAt(fleet, { nowMs: 60_000, records: [livenessRecord('d1', 'gw-b', 's2', 59_000)], moves: sentToB(1, 2_500) });
    expect(plan.misplaced).toEqual([]);
    expect(plan.moves).toEqual([]);
  });
});
