import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, at, capabilities } from '../test-support/fixtures';
import { HISTORIES, cmd, registered } from '../test-support/device';
import { deviceDecider } from './decider';
import { DeviceNotFound } from './errors';

const spec = DeciderSpecification.for(deviceDecider);
const NOT_REVOKED = ['Pending', 'Enrolling', 'Enrolled', 'Connected', 'Disconnected', 'Unreachable'] as const;

describe('RevokeDevice', () => {
  const revoke = cmd('RevokeDevice', { deviceId: 'd1', reason: 'key leaked' }, at(100), 'bob');
  const revokedEvent = { type: 'DeviceRevoked' as const, data: { deviceId: 'd1', reason: 'key leaked', revokedBy: 'bob', revokedAt: at(100) } };

  it.each(NOT_REVOKED)('revokes a device that is %s and drops its session', (status) => {
    const state = spec.given(HISTORIES[status]).when(revoke).then([revokedEvent]);
    expect(state).toMatchObject({
      status: 'Revoked',
      session: null,
      pendingEnrollment: null,
      revocation: { reason: 'key leaked', at: at(100), by: 'bob', rejected: false },
    });
  });

  it('does nothing for a device already revoked', () => {
    spec.given(HISTORIES.Revoked).when(revoke).thenNothingHappens();
  });

  it('needs a reason', () => {
    expect(spec.given(HISTORIES.Pending).when(cmd('RevokeDevice', { deviceId: 'd1', reason: '' })).thenThrows(InvalidCommand).field).toBe('data.reason');
  });

  it('needs an existing device', () => {
    spec.given([]).when(revoke).thenThrows(DeviceNotFound);
  });
});

describe('UpdateDeviceLabels', () => {
  const update = (labels: Record<string, string>) => cmd('UpdateDeviceLabels', { deviceId: 'd1', labels }, at(100));

  it.each(NOT_REVOKED)('replaces the labels of a device that is %s', (status) => {
    const state = spec
      .given(HISTORIES[status])
      .when(update({ 'wasmbed.io/zone': 'b', env: 'prod' }))
      .then([
        {
          type: 'DeviceLabelsUpdated',
          data: { deviceId: 'd1', labels: { env: 'prod', 'wasmbed.io/zone': 'b' }, updatedAt: at(100), updatedBy: ACTOR },
        },
      ]);
    expect(state).toMatchObject({ labels: { env: 'prod', 'wasmbed.io/zone': 'b' } });
  });

  it('does nothing when the labels are the same (in any order)', () => {
    spec.given([registered({ labels: { a: '1', b: '2' } })]).when(update({ b: '2', a: '1' })).thenNothingHappens();
  });

  it('is an invalid transition for a revoked device', () => {
    spec.given(HISTORIES.Revoked).when(update({})).thenThrows(InvalidTransition, "cannot UpdateDeviceLabels: device 'd1' is Revoked");
  });

  it.each([
    ['data.labels', undefined as unknown as Record<string, string>],
    ['data.labels.-a', { '-a': 'x' }],
    ['data.labels.a', { a: 'x'.repeat(64) }],
  ])('rejects an invalid %s', (field, labels) => {
    expect(spec.given(HISTORIES.Pending).when(update(labels)).thenThrows(InvalidCommand).field).toBe(field);
  });

  it('needs an existing device', () => {
    spec.given([]).when(update({})).thenThrows(DeviceNotFound);
  });
});

describe('AssignGateway', () => {
  const assign = (gatewayId: string) => cmd('AssignGateway', { deviceId: 'd1', gatewayId }, at(100));

  it.each(NOT_REVOKED)('moves a device that is %s to another gateway', (status) => {
    const previous = status === 'Pending' || status === 'Enrolling' ? null : 'gw1';
    const state = spec
      .given(HISTORIES[status])
      .when(assign('gw9'))
      .then([{ type: 'DeviceGatewayAssigned', data: { deviceId: 'd1', gatewayId: 'gw9', previousGatewayId: previous, assignedAt: at(100), assignedBy: ACTOR } }]);
    expect(state).toMatchObject({ assignedGateway: 'gw9' });
  });

  it('does nothing when already assigned to that gateway', () => {
    spec.given(HISTORIES.Enrolled).when(assign('gw1')).thenNothingHappens();
  });

  it('is an invalid transition for a revoked device', () => {
    spec.given(HISTORIES.Revoked).when(assign('gw9')).thenThrows(InvalidTransition, "cannot AssignGateway: device 'd1' is Revoked");
  });

  it('rejects an invalid gateway name', () => {
    expect(spec.given(HISTORIES.Enrolled).when(assign('Gw')).thenThrows(InvalidCommand).field).toBe('data.gatewayId');
  });

  it('needs an existing device', () => {
    spec.given([]).when(assign('gw9')).thenThrows(DeviceNotFound);
  });
});

describe('ReportCapabilities', () => {
  const report = (caps = capabilities({ firmware: 'wasmbed-fw 2.0.0', maxInstances: 4 })) =>
    cmd('ReportCapabilities', { deviceId: 'd1', capabilities: caps }, at(100));

  it.each(['Enrolled', 'Connected', 'Disconnected', 'Unreachable'] as const)('records changed capabilities of a device that is %s', (status) => {
    const caps = capabilities({ firmware: 'wasmbed-fw 2.0.0', maxInstances: 4 });
    const state = spec
      .given(HISTORIES[status])
      .when(report())
      .then([{ type: 'DeviceCapabilitiesReported', data: { deviceId: 'd1', capabilities: caps, reportedAt: at(100) } }]);
    expect(state).toMatchObject({ capabilities: caps, board: 'nrf52840dk' });
  });

  it('emits nothing when the capabilities did not change (host functions in any order)', () => {
    spec.given(HISTORIES.Connected).when(report(capabilities({ hostFunctions: ['log', 'gpio_write'] }))).thenNothingHappens();
  });

  it.each(['Pending', 'Enrolling', 'Revoked'] as const)('is an invalid transition from %s', (status) => {
    spec.given(HISTORIES[status]).when(report()).thenThrows(InvalidTransition, `cannot ReportCapabilities: device 'd1' is ${status}`);
  });

  it('rejects invalid capabilities', () => {
    expect(spec.given(HISTORIES.Connected).when(report(capabilities({ arch: '' }))).thenThrows(InvalidCommand).field).toBe('data.capabilities.arch');
  });

  it('needs an existing device', () => {
    spec.given([]).when(report()).thenThrows(DeviceNotFound);
  });
});
