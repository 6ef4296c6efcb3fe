import {
  InvalidBusMessage,
  decodeDeviceLog,
  decodeDeviceStatus,
  decodeLivenessRecord,
  encodeDeviceLog,
  encodeDeviceStatus,
  encodeLivenessRecord,
  type DeviceStatusMessage,
  type LivenessRecord,
} from './index';

const origin = { deviceId: 'dev-1', gatewayId: 'gateway-1', sessionId: 's-1', at: '2025-01-01T00:00:00.000Z' };

describe('status and log messages', () => {
  it.each<DeviceStatusMessage>([
    { type: 'DeployResult', ...origin, appId: 'blinky', revision: 2, ok: true, sha256: 'e'.repeat(64) },
    { type: 'DeployResult', ...origin, appId: 'blinky', revision: 2, ok: false, error: { code: 'bad_signature', message: 'no' } },
    { type: 'StopResult', ...origin, appId: 'blinky', ok: true },
    { type: 'AppStatus', ...origin, appId: 'blinky', revision: 2, state: 'running', restarts: 0 },
  ])('round-trips %#', (message) => {
    expect(decodeDeviceStatus(encodeDeviceStatus(message))).toEqual(message);
  });

  it('refuses unknown states and malformed times', () => {
    const bad = { type: 'AppStatus', ...origin, appId: 'blinky', revision: 2, state: 'dancing', restarts: 0 };
    expect(() => decodeDeviceStatus(new TextEncoder().encode(JSON.stringify(bad)))).toThrow(InvalidBusMessage);
    const late = { type: 'StopResult', ...origin, at: 'yesterday', appId: 'blinky', ok: true };
    expect(() => decodeDeviceStatus(new TextEncoder().encode(JSON.stringify(late)))).toThrow(/at/);
  });

  it('round-trips a log line', () => {
    const line = { ...origin, appId: 'blinky', level: 'info' as const, message: 'hello', deviceTimeMs: 1_700_000_000_000 };
    expect(decodeDeviceLog(encodeDeviceLog(line))).toEqual(line);
  });
});

describe('liveness record', () => {
  const record: LivenessRecord = {
    deviceId: 'dev-1',
    gatewayId: 'gateway-1',
    sessionId: 's-1',
    connectedAt: '2025-01-01T00:00:00.000Z',
    lastHeartbeatAt: '2025-01-01T00:00:30.000Z',
    heartbeatSeq: 1,
    uptimeMs: 30_000,
    freeMemoryBytes: 4096,
    apps: [{ appId: 'blinky', revision: 1, sha256: 'a'.repeat(64), state: 'failed', restarts: 2, error: { code: 'trap', message: 'unreachable' } }],
  };

  it('round-trips', () => {
    expect(decodeLivenessRecord(encodeLivenessRecord(record))).toEqual(record);
  });

  it('refuses negative counters and bad hashes', () => {
    expect(() => encodeLivenessRecord({ ...record, heartbeatSeq: -1 })).toThrow(/heartbeatSeq/);
    expect(() => encodeLivenessRecord({ ...record, apps: [{ ...record.apps[0], sha256: 'zz' }] })).toThrow(/apps\.0\.sha256/);
  });
});
