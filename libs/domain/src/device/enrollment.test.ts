import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { ACTOR, KEY_A, KEY_B, T0, at, capabilities } from '../test-support/fixtures';
import { HISTORIES, cmd, enrolled, enrollmentRequested, registered, requestEnrollment } from '../test-support/device';
import { deviceDecider } from './decider';
import { DeviceAlreadyExists, DeviceNotFound, EnrollmentRefused } from './errors';

const spec = DeciderSpecification.for(deviceDecider);

describe('RegisterDevice', () => {
  const register = (data: Partial<Parameters<typeof cmd<'RegisterDevice'>>[1]> = {}) =>
    cmd('RegisterDevice', { deviceId: 'd1', publicKey: KEY_A, board: 'nrf52840dk', architecture: 'thumbv7em', ...data });

  it('pre-registers an unknown device as Pending', () => {
    const state = spec.given([]).when(register()).then([registered()]);
    expect(state).toMatchObject({ status: 'Pending', publicKey: KEY_A, assignedGateway: null });
  });

  it('keeps labels (sorted) and the preferred gateway, and lowercases the key', () => {
    spec
      .given([])
      .when(register({ publicKey: KEY_A.toUpperCase(), labels: { zone: 'b', env: 'prod' }, preferredGateway: 'gw2' }))
      .then([registered({ labels: { env: 'prod', zone: 'b' }, preferredGateway: 'gw2' })]);
  });

  it.each(Object.entries(HISTORIES))('refuses a device that already exists (%s)', (status, history) => {
    spec.given(history).when(register()).thenThrows(DeviceAlreadyExists, `device 'd1' already exists (${status})`);
  });

  it.each([
    ['data.deviceId', { deviceId: 'D1' }],
    ['data.deviceId', { deviceId: '-d1' }],
    ['data.publicKey', { publicKey: 'abc' }],
    ['data.publicKey', { publicKey: 'zz'.repeat(32) }],
    ['data.board', { board: '' }],
    ['data.architecture', { architecture: 'x'.repeat(65) }],
    ['data.labels', { labels: [] as unknown as Record<string, string> }],
    ['data.labels.bad key', { labels: { 'bad key': 'x' } }],
    ['data.labels.env', { labels: { env: 'not valid!' } }],
    ['data.preferredGateway', { preferredGateway: 'GW' }],
  ])('rejects an invalid %s', (field, data) => {
    const err = spec.given([]).when(register(data)).thenThrows(InvalidCommand);
    expect(err.field).toBe(field);
    expect(err.code).toBe('invalid_argument');
  });
});

describe('RequestEnrollment', () => {
  it('admits a pre-registered device whose key matches, outside pairing mode', () => {
    const state = spec.given(HISTORIES.Pending).when(requestEnrollment()).then([enrolled()]);
    expect(state).toMatchObject({ status: 'Enrolled', assignedGateway: 'gw1', enrolledAt: at(10), capabilities: capabilities() });
  });

  it('keeps the preferred gateway of a pre-registered device', () => {
    const state = spec.given([registered({ preferredGateway: 'gw2' })]).when(requestEnrollment()).then([enrolled()]);
    expect(state).toMatchObject({ assignedGateway: 'gw2' });
  });

  it('refuses a pre-registered device whose key does not match', () => {
    const err = spec.given(HISTORIES.Pending).when(requestEnrollment({ publicKey: KEY_B })).thenThrows(EnrollmentRefused);
    expect(err.reason).toBe('public key does not match');
    expect(err.code).toBe('permission_denied');
  });

  it('puts a new device on hold during pairing mode', () => {
    const state = spec.given([]).when(requestEnrollment({ pairingModeActive: true })).then([enrollmentRequested()]);
    expect(state).toMatchObject({
      status: 'Enrolling',
      board: 'nrf52840dk',
      architecture: 'thumbv7em',
      pendingEnrollment: { gatewayId: 'gw1', capabilities: capabilities(), requestedAt: at(10) },
    });
  });

  it('enrolls a new device directly during pairing mode with auto-approve', () => {
    spec
      .given([])
      .when(requestEnrollment({ pairingModeActive: true, autoApprove: true }))
      .then([enrollmentRequested(), enrolled({ approval: 'auto' })]);
  });

  it('refuses a new device outside pairing mode, even with auto-approve', () => {
    const err = spec.given([]).when(requestEnrollment({ autoApprove: true })).thenThrows(EnrollmentRefused, 'pairing mode is off');
    expect(err.deviceId).toBe('d1');
  });

  it('refuses a revoked device', () => {
    spec.given(HISTORIES.Revoked).when(requestEnrollment({ pairingModeActive: true })).thenThrows(EnrollmentRefused, 'device is revoked');
  });

  it('refuses a rejected device', () => {
    const rejected = { type: 'DeviceRejected' as const, data: { deviceId: 'd1', reason: 'unknown', rejectedBy: ACTOR, rejectedAt: at(11) } };
    spec.given([enrollmentRequested(), rejected]).when(requestEnrollment({ pairingModeActive: true })).thenThrows(EnrollmentRefused, 'device is revoked');
  });

  it('refuses another key for a device waiting for approval', () => {
    spec.given(HISTORIES.Enrolling).when(requestEnrollment({ publicKey: KEY_B, pairingModeActive: true })).thenThrows(EnrollmentRefused, 'public key does not match');
  });

  it('ignores a repeated identical request while waiting for approval', () => {
    spec.given(HISTORIES.Enrolling).when(requestEnrollment({ pairingModeActive: true }, at(40))).thenNothingHappens();
  });

  it('refreshes a waiting request when the device comes back through another gateway', () => {
    const state = spec
      .given(HISTORIES.Enrolling)
      .when(requestEnrollment({ gatewayId: 'gw2' }, at(40)))
      .then([enrollmentRequested({ gatewayId: 'gw2', requestedAt: at(40) })]);
    expect(state).toMatchObject({ status: 'Enrolling', registeredAt: at(10), pendingEnrollment: { gatewayId: 'gw2' } });
  });

  it('refreshes a waiting request when the capabilities changed', () => {
    const newer = capabilities({ firmware: 'wasmbed-fw 1.3.0' });
    spec
      .given(HISTORIES.Enrolling)
      .when(requestEnrollment({ capabilities: newer }, at(40)))
      .then([enrollmentRequested({ capabilities: newer, requestedAt: at(40) })]);
  });

  it('auto-approves a waiting device when it returns during pairing mode with auto-approve', () => {
    spec
      .given(HISTORIES.Enrolling)
      .when(requestEnrollment({ pairingModeActive: true, autoApprove: true }, at(40)))
      .then([enrolled({ approval: 'auto', enrolledAt: at(40) })]);
  });

  it.each(['Enrolled', 'Connected', 'Disconnected', 'Unreachable'] as const)('accepts an admitted device (%s) again without events', (status) => {
    spec.given(HISTORIES[status]).when(requestEnrollment({}, at(90))).thenNothingHappens();
  });

  it.each(['Enrolled', 'Connected'] as const)('refuses another key under the name of an admitted device (%s)', (status) => {
    spec.given(HISTORIES[status]).when(requestEnrollment({ publicKey: KEY_B })).thenThrows(EnrollmentRefused, 'public key does not match');
  });

  it.each([
    ['data.publicKey', { publicKey: KEY_A.slice(2) }],
    ['data.gatewayId', { gatewayId: 'gw_1' }],
    ['data.pairingModeActive', { pairingModeActive: 'yes' as unknown as boolean }],
    ['data.autoApprove', { autoApprove: undefined as unknown as boolean }],
    ['data.capabilities', { capabilities: null as unknown as ReturnType<typeof capabilities> }],
    ['data.capabilities.ramBytes', { capabilities: capabilities({ ramBytes: -1 }) }],
    ['data.capabilities.maxInstances', { capabilities: capabilities({ maxInstances: 1.5 }) }],
    ['data.capabilities.hostFunctions', { capabilities: capabilities({ hostFunctions: 'log' as unknown as string[] }) }],
    ['data.capabilities.hostFunctions[0]', { capabilities: capabilities({ hostFunctions: [''] }) }],
    ['data.capabilities.firmware', { capabilities: capabilities({ firmware: 'v1\n' }) }],
  ])('rejects an invalid %s', (field, data) => {
    expect(spec.given([]).when(requestEnrollment({ pairingModeActive: true, ...data })).thenThrows(InvalidCommand).field).toBe(field);
  });

  it('sorts and de-duplicates host functions', () => {
    const state = spec
      .given([])
      .when(requestEnrollment({ pairingModeActive: true, capabilities: capabilities({ hostFunctions: ['log', 'gpio_write', 'log'] }) }))
      .then([enrollmentRequested()]);
    expect(state).toMatchObject({ pendingEnrollment: { capabilities: { hostFunctions: ['gpio_write', 'log'] } } });
  });
});

describe('ApproveDevice', () => {
  it('admits a device waiting for approval', () => {
    spec
      .given(HISTORIES.Enrolling)
      .when(cmd('ApproveDevice', { deviceId: 'd1' }, at(30), 'bob'))
      .then([enrolled({ approval: 'manual', approvedBy: 'bob', enrolledAt: at(30) })]);
  });

  it.each(['Pending', 'Enrolled', 'Connected', 'Disconnected', 'Unreachable', 'Revoked'] as const)('is an invalid transition from %s', (status) => {
    spec
      .given(HISTORIES[status])
      .when(cmd('ApproveDevice', { deviceId: 'd1' }))
      .thenThrows(InvalidTransition, `cannot ApproveDevice: device 'd1' is ${status}`);
  });

  it('needs an existing device', () => {
    spec.given([]).when(cmd('ApproveDevice', { deviceId: 'd1' })).thenThrows(DeviceNotFound, "device 'd1' not found");
  });
});

describe('RejectDevice', () => {
  it('turns a waiting device away for good (Revoked, marked rejected)', () => {
    const state = spec
      .given(HISTORIES.Enrolling)
      .when(cmd('RejectDevice', { deviceId: 'd1', reason: 'not ours' }, at(30)))
      .then([{ type: 'DeviceRejected', data: { deviceId: 'd1', reason: 'not ours', rejectedBy: ACTOR, rejectedAt: at(30) } }]);
    expect(state).toMatchObject({
      status: 'Revoked',
      pendingEnrollment: null,
      revocation: { reason: 'not ours', at: at(30), by: ACTOR, rejected: true },
    });
  });

  it.each(['Pending', 'Enrolled', 'Connected', 'Revoked'] as const)('is an invalid transition from %s', (status) => {
    spec.given(HISTORIES[status]).when(cmd('RejectDevice', { deviceId: 'd1', reason: 'x' })).thenThrows(InvalidTransition, `device 'd1' is ${status}`);
  });

  it('needs a reason', () => {
    expect(spec.given(HISTORIES.Enrolling).when(cmd('RejectDevice', { deviceId: 'd1', reason: ' ' })).thenThrows(InvalidCommand).field).toBe('data.reason');
  });

  it('needs an existing device', () => {
    spec.given([]).when(cmd('RejectDevice', { deviceId: 'd1', reason: 'x' })).thenThrows(DeviceNotFound);
  });
});

describe('every device command', () => {
  it('refuses a command for another device than the loaded one', () => {
    const err = spec.given(HISTORIES.Pending).when(cmd('ApproveDevice', { deviceId: 'd2' })).thenThrows(InvalidCommand);
    expect(err.message).toBe("invalid data.deviceId: is 'd2' but the loaded aggregate is 'd1'");
  });

  it.each([
    ['metadata', undefined],
    ['metadata.now', { now: '2024-05-01 10:00', actor: ACTOR }],
    ['metadata.now', { now: '2024-13-45T99:00:00Z', actor: ACTOR }],
    ['metadata.actor', { now: T0, actor: '' }],
  ])('needs valid metadata (%s)', (field, metadata) => {
    const command = { ...cmd('ApproveDevice', { deviceId: 'd1' }), metadata } as unknown as Parameters<typeof deviceDecider.decide>[0];
    expect(spec.given(HISTORIES.Enrolling).when(command).thenThrows(InvalidCommand).field).toBe(field);
  });

  it('needs a data object', () => {
    const command = { ...cmd('ApproveDevice', { deviceId: 'd1' }), data: 'd1' } as unknown as Parameters<typeof deviceDecider.decide>[0];
    expect(spec.given([]).when(command).thenThrows(InvalidCommand).field).toBe('data');
  });
});
