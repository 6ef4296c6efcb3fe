import { CONTROLLER_ACTOR } from '../fleet-state';
import { FleetFixture, THRESHOLD_MS, commandsOf, gatewayActor, iso, livenessRecord, planAt } from '../test-support/fleet-fixture';

const connected = () => new FleetFixture().onlineGateway('gw-a', 'inst-1').connectedDevice('d1', 'gw-a', 's1', 1_000);
const unreachable = (sessionId: string, lastHeartbeatAt: string) => ({ type: 'MarkUnreachable', data: { deviceId: 'd1', sessionId, lastHeartbeatAt } });

describe('a device Connected in the log', () => {
  it('is left alone while its session heartbeats', () => {
    const plan = planAt(connected(), { nowMs: 500_000, records: [livenessRecord('d1', 'gw-a', 's1', 450_000)] });
    expect(plan.actions).toEqual([]);
  });

  it('is marked unreachable once its record is older than the threshold, with the last heartbeat seen', () => {
    const fleet = connected();
    const records = [livenessRecord('d1', 'gw-a', 's1', 300_000)];
    expect(planAt(fleet, { nowMs: 300_000 + THRESHOLD_MS, records }).actions).toEqual([]);
    const plan = planAt(fleet, { nowMs: 300_000 + THRESHOLD_MS + 1, records });
    expect(commandsOf(plan, 'device')).toEqual([unreachable('s1', iso(300_000))]);
    expect(plan.actions.find((a) => a.target === 'device')).toMatchObject({ kind: 'mark_unreachable', target: 'device', commandId: `device-controller/mark_unreachable/d1/s1@${fleet.state.devices.get('d1')!.version}` });
  });

  it('gets the threshold as grace after connect when the gateway has not written a record yet', () => {
    const fleet = connected();
    expect(planAt(fleet, { nowMs: 1_000 + THRESHOLD_MS }).actions).toEqual([]);
    expect(commandsOf(planAt(fleet, { nowMs: 1_000 + THRESHOLD_MS + 1 }), 'device')).toEqual([unreachable('s1', iso(1_000))]);
  });

  it('gets the threshold as grace after the controller started watching, whatever the record says', () => {
    const fleet = connected();
    const records = [livenessRecord('d1', 'gw-a', 's1', 2_000)];
    // The record is long stale, but the controller has only watched for part of the threshold.
    expect(planAt(fleet, { nowMs: 600_000, observingSinceMs: 600_000 - THRESHOLD_MS, records }).actions).toEqual([]);
    expect(planAt(fleet, { nowMs: 600_000, observingSinceMs: 600_000 - THRESHOLD_MS }).actions).toEqual([]);
    expect(commandsOf(planAt(fleet, { nowMs: 600_001, observingSinceMs: 600_000 - THRESHOLD_MS, records }), 'device')).toEqual([unreachable('s1', iso(2_000))]);
  });

  it('counts the connect as evidence when the first record predates it', () => {
    const fleet = new FleetFixture().onlineGateway('gw-a', 'inst-1').connectedDevice('d1', 'gw-a', 's1', 10_000);
    const records = [livenessRecord('d1', 'gw-a', 's1', 9_990)];
    expect(planAt(fleet, { nowMs: 10_000 + THRESHOLD_MS, records }).actions).toEqual([]);
  });

  it('is not marked while a fresh record of another session shows the device alive (the log lags a reconnect)', () => {
    const fleet = connected();
    const plan = planAt(fleet, { nowMs: 900_000, records: [livenessRecord('d1', 'gw-b', 's2', 899_000)] });
    expect(plan.actions).toEqual([]);
  });

  it('judges the log’s session only: a superseded session’s stale record neither counts nor is reported', () => {
    const fleet = connected().onlineGateway('gw-b', 'inst-9').connectedDevice('d1', 'gw-b', 's2', 800_000);
    const oldRecord = [livenessRecord('d1', 'gw-a', 's1', 100_000)];
    // The new session is within its grace; the old record is no evidence either way.
    expect(planAt(fleet, { nowMs: 800_000 + THRESHOLD_MS, records: oldRecord }).actions).toEqual([]);
    expect(commandsOf(planAt(fleet, { nowMs: 800_001 + THRESHOLD_MS, records: oldRecord }), 'device')).toEqual([unreachable('s2', iso(800_000))]);
  });

  it('plans the same command id again until the log shows it, then nothing', () => {
    const fleet = connected();
    const records = [livenessRecord('d1', 'gw-a', 's1', 100_000)];
    const first = planAt(fleet, { nowMs: 400_000, records });
    const retried = planAt(fleet, { nowMs: 410_000, records });
    expect(retried.actions.map((a) => a.commandId)).toEqual(first.actions.map((a) => a.commandId));
    fleet.execute(first.actions, 400_000);
    expect(fleet.state.devices.get('d1')?.device).toMatchObject({ status: 'Unreachable', lastHeartbeatAt: iso(100_000) });
    expect(planAt(fleet, { nowMs: 500_000, records }).actions).toEqual([]);
  });

  it('is left alone once Disconnected, even with a stale record left behind', () => {
    const fleet = connected().device('MarkDisconnected', { deviceId: 'd1', sessionId: 's1', reason: 'bye' }, 5_000, gatewayActor('gw-a'));
    expect(planAt(fleet, { nowMs: 900_000, records: [livenessRecord('d1', 'gw-a', 's1', 4_000)] }).actions).toEqual([]);
  });
});

describe('a device Unreachable in the log', () => {
  const markedByController = () => connected().device('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(100_000) }, 300_000, CONTROLLER_ACTOR);

  it('is marked connected again, on the same session, when that session heartbeats after the verdict', () => {
    const fleet = markedByController();
    const plan = planAt(fleet, { nowMs: 400_000, records: [livenessRecord('d1', 'gw-a', 's1', 390_000)] });
    expect(commandsOf(plan, 'device')).toEqual([{ type: 'MarkConnected', data: { deviceId: 'd1', gatewayId: 'gw-a', sessionId: 's1' } }]);
    expect(plan.actions[0].kind).toBe('mark_reconnected');
    fleet.execute(plan.actions, 400_000);
    expect(fleet.state.devices.get('d1')?.device.status).toBe('Connected');
    expect(planAt(fleet, { nowMs: 401_000, records: [livenessRecord('d1', 'gw-a', 's1', 390_000)] }).actions).toEqual([]);
  });

  it('stays unreachable on a record that holds no heartbeat newer than the one recorded', () => {
    // The gateway's own verdict: it writes the same last heartbeat it reported, then removes the record.
    const fleet = connected().device('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: iso(100_000) }, 190_000, gatewayActor('gw-a'));
    expect(planAt(fleet, { nowMs: 200_000, records: [livenessRecord('d1', 'gw-a', 's1', 100_000)] }).actions).toEqual([]);
    expect(planAt(fleet, { nowMs: 900_000 }).actions).toEqual([]);
  });

  it('stays unreachable when another session heartbeats: the gateway of that session reports the connect', () => {
    expect(planAt(markedByController(), { nowMs: 400_000, records: [livenessRecord('d1', 'gw-b', 's2', 399_000)] }).actions).toEqual([]);
  });
});
