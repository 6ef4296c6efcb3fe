import { EnrollmentRefused, InvalidCommand, type Device } from '@wasmbed/domain';
import { capabilitiesOf, deviceIdFor, keyDerivedDeviceId, outcomeOf, refusalOf } from './enrollment';
import { helloBody } from './test-support/test-device';

const KEY = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);

function device(deviceId: string, publicKey: string, status: Device['status'] = 'Enrolled', rejected = false): Device {
  return {
    status,
    deviceId,
    publicKey,
    board: 'b',
    architecture: 'a',
    labels: {},
    assignedGateway: null,
    pendingEnrollment: null,
    capabilities: null,
    session: null,
    lastHeartbeatAt: null,
    registeredAt: '2025-01-01T00:00:00Z',
    enrolledAt: null,
    revocation: status === 'Revoked' ? { reason: 'stolen', at: '2025-01-01T00:00:00Z', by: 'ops', rejected } : null,
  };
}

function lookup(...devices: Device[]) {
  return {
    deviceWithKey: (key: string) => devices.find((d) => d.publicKey === key),
    device: (id: string) => devices.find((d) => d.deviceId === id),
  };
}

describe('choosing the device name for a key', () => {
  it('uses the name the key is registered under, whatever the certificate says', () => {
    expect(deviceIdFor(KEY, 'something-else', lookup(device('sensor-1', KEY)))).toBe('sensor-1');
  });

  it('uses a free, valid certificate CN for an unknown key', () => {
    expect(deviceIdFor(KEY, 'fresh-sensor', lookup())).toBe('fresh-sensor');
  });

  it('falls back to a name derived from the key when the CN is taken or invalid', () => {
    const derived = keyDerivedDeviceId(KEY);
    expect(derived).toMatch(/^dev-[0-9a-f]{12}$/);
    expect(deviceIdFor(KEY, 'taken', lookup(device('taken', OTHER)))).toBe(derived);
    expect(deviceIdFor(KEY, 'Not A Name', lookup())).toBe(derived);
    expect(deviceIdFor(KEY, undefined, lookup())).toBe(derived);
    expect(keyDerivedDeviceId(OTHER)).not.toBe(derived);
  });
});

describe('enrollment outcomes', () => {
  it('welcomes every admitted status, holds Enrolling, refuses Revoked', () => {
    for (const status of ['Enrolled', 'Connected', 'Disconnected', 'Unreachable'] as const) {
      expect(outcomeOf('d', device('d', KEY, status))).toEqual({ kind: 'welcome', deviceId: 'd' });
    }
    expect(outcomeOf('d', device('d', KEY, 'Enrolling'))).toEqual({ kind: 'pending', deviceId: 'd' });
    expect(outcomeOf('d', device('d', KEY, 'Revoked'))).toMatchObject({ kind: 'rejected', code: 'revoked', reason: 'stolen' });
    expect(outcomeOf('d', device('d', KEY, 'Revoked', true))).toMatchObject({ kind: 'rejected', code: 'denied' });
    expect(outcomeOf('d', device('d', KEY, 'Pending'))).toMatchObject({ kind: 'rejected', code: 'not_enrolled' });
  });

  it('turns domain refusals into Rejected codes and lets other errors through', () => {
    expect(refusalOf('d', new EnrollmentRefused('d', 'pairing mode is off'))).toMatchObject({ code: 'pairing_disabled' });
    expect(refusalOf('d', new EnrollmentRefused('d', 'public key does not match'))).toMatchObject({ code: 'key_mismatch' });
    expect(refusalOf('d', new EnrollmentRefused('d', 'device is revoked'))).toMatchObject({ code: 'revoked' });
    expect(refusalOf('d', new InvalidCommand('data.capabilities.arch', 'too long'))).toMatchObject({ code: 'invalid_hello' });
    expect(refusalOf('d', new Error('nats down'))).toBeUndefined();
  });

  it('maps Hello to the capabilities the domain records', () => {
    expect(capabilitiesOf(helloBody())).toEqual({
      firmware: 'test-fw 1.0',
      board: 'test-board',
      arch: 'armv7m',
      ramBytes: 262_144,
      maxModuleBytes: 131_072,
      maxInstances: 4,
      hostFunctions: ['env.log', 'env.sleep_ms'],
    });
  });
});
