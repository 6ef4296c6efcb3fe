import { FleetFixture, commandsOf, planAt } from '../test-support/fleet-fixture';

const close = { type: 'SetPairingMode', data: { gatewayId: 'gw-a', enabled: false } };
/** A 60-second window opened at 10 s: until = 70 s. */
const withWindow = () => new FleetFixture().onlineGateway('gw-a', 'inst-1').gateway('SetPairingMode', { gatewayId: 'gw-a', enabled: true, durationSeconds: 60 }, 10_000);

describe('pairing windows', () => {
  it('leaves an open window alone', () => {
    expect(planAt(withWindow(), { nowMs: 69_999 }).actions).toEqual([]);
  });

  it('closes the window in the log once until has passed, then plans nothing', () => {
    const fleet = withWindow();
    const plan = planAt(fleet, { nowMs: 70_000 });
    expect(commandsOf(plan)).toEqual([close]);
    expect(plan.actions[0]).toMatchObject({ kind: 'close_pairing_window', commandId: expect.stringMatching(/^device-controller\/close_pairing_window\/gw-a\/2024-05-01T10:01:10.000Z@\d+$/) });
    fleet.execute(plan.actions, 70_500);
    expect(fleet.state.gateways.get('gw-a')?.gateway.pairingUntil).toBeNull();
    expect(planAt(fleet, { nowMs: 80_000 }).actions).toEqual([]);
  });

  it('closes the expired window of a draining or offline gateway too', () => {
    const draining = withWindow().gateway('DrainGateway', { gatewayId: 'gw-a' }, 80_000);
    expect(commandsOf(planAt(draining, { nowMs: 90_000 }))).toEqual([close]);
    const offline = withWindow().gateway('ReportGatewayOffline', { gatewayId: 'gw-a', instanceId: 'inst-1' }, 20_000);
    expect(commandsOf(planAt(offline, { nowMs: 90_000 }))).toEqual([close]);
  });

  it('does nothing for a window closed by an operator', () => {
    const fleet = withWindow().gateway('SetPairingMode', { gatewayId: 'gw-a', enabled: false }, 20_000);
    expect(planAt(fleet, { nowMs: 90_000 }).actions).toEqual([]);
  });

  it('gives a reopened window a new command id', () => {
    const fleet = withWindow();
    const first = planAt(fleet, { nowMs: 70_000 }).actions[0].commandId;
    fleet.execute(planAt(fleet, { nowMs: 70_000 }).actions, 70_000);
    fleet.gateway('SetPairingMode', { gatewayId: 'gw-a', enabled: true, durationSeconds: 60 }, 100_000);
    const second = planAt(fleet, { nowMs: 160_000 }).actions[0].commandId;
    expect(second).not.toBe(first);
  });
});
