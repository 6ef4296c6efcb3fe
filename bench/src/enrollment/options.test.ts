import { ENROLLMENT_DEFAULTS, parseEnrollmentOptions } from './options';

describe('enrollment options', () => {
  it('defaults to 2,000 new keys, 32 at a time', () => {
    expect(parseEnrollmentOptions([], {})).toEqual({ ...ENROLLMENT_DEFAULTS, natsUrl: undefined });
    expect(ENROLLMENT_DEFAULTS).toEqual({ enrollments: 2_000, concurrency: 32, workers: 2 });
  });

  it('parses every flag and the NATS url', () => {
    expect(parseEnrollmentOptions(['--enrollments', '300', '--concurrency', '8', '--workers', '4'], { WASMBED_NATS_URL: 'nats://n:2' })).toEqual({
      enrollments: 300,
      concurrency: 8,
      workers: 4,
      natsUrl: 'nats://n:2',
    });
  });

  it('needs at least one enrollment in flight and one device per load generator', () => {
    expect(() => parseEnrollmentOptions(['--concurrency', '1', '--workers', '2'], {})).toThrow(/--workers must not exceed --concurrency/);
    expect(() => parseEnrollmentOptions(['--enrollments', '1', '--workers', '2', '--concurrency', '4'], {})).toThrow(/--workers must not exceed --enrollments/);
  });
});
