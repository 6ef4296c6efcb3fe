import { loadBrowserModule } from './test-support/browser-module';

const format = loadBrowserModule<typeof import('../assets/format.js')>('format.js');
const { backoffDelay, BACKOFF_MAX_MS } = loadBrowserModule<typeof import('../assets/backoff.js')>('backoff.js');

describe('format (assets/format.js)', () => {
  it('names enum values without their prefix; an absent one is unspecified', () => {
    expect(format.enumName('DEVICE_PHASE_CONNECTED', 'DEVICE_PHASE_')).toBe('connected');
    expect(format.enumName('ROLLOUT_PHASE_IN_PROGRESS', 'ROLLOUT_PHASE_')).toBe('in_progress');
    expect(format.enumName(undefined, 'DEVICE_PHASE_')).toBe('unspecified');
    expect(format.humanize('partially_running')).toBe('partially running');
  });

  it('says how long ago (or until when) in rough units', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(format.relativeTime(undefined, now)).toBe('—');
    expect(format.relativeTime('not a date', now)).toBe('—');
    expect(format.relativeTime('2025-03-01T11:59:58Z', now)).toBe('just now');
    expect(format.relativeTime('2025-03-01T11:59:48Z', now)).toBe('12 s ago');
    expect(format.relativeTime('2025-03-01T11:57:00Z', now)).toBe('3 min ago');
    expect(format.relativeTime('2025-03-01T09:00:00Z', now)).toBe('3 h ago');
    expect(format.relativeTime('2025-02-27T12:00:00Z', now)).toBe('2 d ago');
    expect(format.relativeTime('2025-03-01T12:04:30Z', now)).toBe('in 4 min');
  });

  it('shortens a base64 SHA-256 to its first hex digits', () => {
    const digest = Buffer.from('3fa9c1d0e2' + '00'.repeat(27), 'hex').toString('base64');
    expect(format.shortHex(digest)).toBe('3fa9c1d0');
    expect(format.shortHex(digest, 4)).toBe('3fa9');
    expect(format.shortHex(undefined)).toBe('');
    expect(format.shortHex('***')).toBe('');
  });

  it('writes counts with separators and plurals', () => {
    expect(format.count(1234567)).toBe('1,234,567');
    expect(format.plural(1, 'device')).toBe('1 device');
    expect(format.plural(1000, 'device')).toBe('1,000 devices');
  });
});

describe('backoffDelay (assets/backoff.js)', () => {
  it('doubles from half a second up to 30 s, with jitter between half and all of the step', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0.999999))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, () => 0.999999)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1000, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });
});
