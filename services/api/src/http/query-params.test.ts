import { DevicePhase } from '@wasmbed/proto';
import { enumParam, intParam } from './query-params';

describe('HTTP query parameters', () => {
  const params = (query: string) => new URLSearchParams(query);

  it('reads enum values by full or short name, case-insensitively; absent is UNSPECIFIED', () => {
    expect(enumParam(params('phase=DEVICE_PHASE_CONNECTED'), 'phase', DevicePhase, 'DEVICE_PHASE_')).toBe(DevicePhase.DEVICE_PHASE_CONNECTED);
    expect(enumParam(params('phase=revoked'), 'phase', DevicePhase, 'DEVICE_PHASE_')).toBe(DevicePhase.DEVICE_PHASE_REVOKED);
    expect(enumParam(params(''), 'phase', DevicePhase, 'DEVICE_PHASE_')).toBe(0);
  });

  it('refuses unknown enum names (and UNSPECIFIED or UNRECOGNIZED spelled out), listing the known ones', () => {
    expect(() => enumParam(params('phase=asleep'), 'phase', DevicePhase, 'DEVICE_PHASE_')).toThrow(
      "invalid phase: 'asleep' is not one of PENDING, ENROLLING, ENROLLED, CONNECTED, DISCONNECTED, UNREACHABLE, REVOKED",
    );
    expect(() => enumParam(params('phase=UNRECOGNIZED'), 'phase', DevicePhase, 'DEVICE_PHASE_')).toThrow('invalid phase');
    expect(() => enumParam(params('phase=unspecified'), 'phase', DevicePhase, 'DEVICE_PHASE_')).toThrow('invalid phase');
  });

  it('reads non-negative integers', () => {
    expect(intParam(params('page_size=25'), 'page_size')).toBe(25);
    expect(intParam(params(''), 'page_size')).toBe(0);
    expect(() => intParam(params('page_size=-1'), 'page_size')).toThrow('invalid page_size: must be a non-negative integer');
    expect(() => intParam(params('page_size=ten'), 'page_size')).toThrow('invalid page_size');
  });
});
