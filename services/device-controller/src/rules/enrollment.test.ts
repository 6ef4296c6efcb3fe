import { CAPABILITIES, FleetFixture, KEY, commandsOf, gatewayActor, planAt } from '../test-support/fleet-fixture';
import { ENROLLMENT_EXPIRED_REASON } from './enrollment';

const DAY = 86_400_000;
/** d1 asked to enroll through gw-a at 10 s, reporting `board`. */
const pending = (board = 'nrf52840dk') =>
  new FleetFixture()
    .onlineGateway('gw-a', 'inst-1')
    .device(
      'RequestEnrollment',
      { deviceId: 'd1', publicKey: KEY, gatewayId: 'gw-a', pairingModeActive: true, autoApprove: false, capabilities: { ...CAPABILITIES, board } },
      10_000,
      gatewayActor('gw-a'),
    );
const reject = { type: 'RejectDevice', data: { deviceId: 'd1', reason: ENROLLMENT_EXPIRED_REASON } };
const approve = { type: 'ApproveDevice', data: { deviceId: 'd1' } };

describe('enrollment requests', () => {
  it('are rejected once older than the TTL, and only once', () => {
    const fleet = pending();
    expect(planAt(fleet, { nowMs: 10_000 + DAY - 1, policy: { enrollmentTtlMs: DAY } }).actions).toEqual([]);
    const plan = planAt(fleet, { nowMs: 10_000 + DAY, policy: { enrollmentTtlMs: DAY } });
    expect(commandsOf(plan)).toEqual([reject]);
    expect(plan.actions[0].kind).toBe('expire_enrollment');
    fleet.execute(plan.actions, 10_000 + DAY);
    expect(fleet.state.devices.get('d1')?.device).toMatchObject({ status: 'Revoked', revocation: { rejected: true, reason: ENROLLMENT_EXPIRED_REASON, by: 'device-controller' } });
    expect(planAt(fleet, { nowMs: 20_000 + DAY, policy: { enrollmentTtlMs: DAY } }).actions).toEqual([]);
  });

  it('never expire without a TTL', () => {
    expect(planAt(pending(), { nowMs: 365 * DAY, policy: { enrollmentTtlMs: null } }).actions).toEqual([]);
  });

  it('are approved when the reported board is on the list', () => {
    const fleet = pending('stm32f4');
    const policy = { enrollmentTtlMs: DAY, autoApproveBoards: new Set(['nrf52840dk', 'stm32f4']) };
    const plan = planAt(fleet, { nowMs: 11_000, policy });
    expect(commandsOf(plan)).toEqual([approve]);
    expect(plan.actions[0].kind).toBe('auto_approve');
    fleet.execute(plan.actions, 11_000);
    expect(fleet.state.devices.get('d1')?.device.status).toBe('Enrolled');
    expect(planAt(fleet, { nowMs: 12_000, policy }).actions).toEqual([]);
  });

  it('are left to an operator when the board is not on the list (matching is exact)', () => {
    const policy = { autoApproveBoards: new Set(['nrf52840dk']) };
    expect(planAt(pending('NRF52840DK'), { nowMs: 11_000, policy }).actions).toEqual([]);
    expect(planAt(pending('esp32'), { nowMs: 11_000, policy }).actions).toEqual([]);
  });

  it('expire rather than get approved when both apply', () => {
    const policy = { enrollmentTtlMs: DAY, autoApproveBoards: new Set(['nrf52840dk']) };
    expect(commandsOf(planAt(pending(), { nowMs: 10_000 + DAY, policy }))).toEqual([reject]);
  });

  it('count from the latest refreshed request', () => {
    const fleet = pending().device(
      'RequestEnrollment',
      { deviceId: 'd1', publicKey: KEY, gatewayId: 'gw-b', pairingModeActive: true, autoApprove: false, capabilities: CAPABILITIES },
      DAY,
      gatewayActor('gw-b'),
    );
    expect(planAt(fleet, { nowMs: DAY + 20_000, policy: { enrollmentTtlMs: DAY } }).actions).toEqual([]);
  });

  it('do not concern pre-registered devices that never connected', () => {
    const fleet = new FleetFixture().device('RegisterDevice', { deviceId: 'd1', publicKey: KEY, board: 'nrf52840dk', architecture: 'thumbv7em' }, 0);
    expect(planAt(fleet, { nowMs: 10 * DAY, policy: { enrollmentTtlMs: DAY, autoApproveBoards: new Set(['nrf52840dk']) } }).actions).toEqual([]);
  });
});
