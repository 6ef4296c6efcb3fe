import { ConfigError } from '@wasmbed/errors';
import { parseBenchOptions, parseIntegerFlags, requireOption, type IntegerFlags } from './cli-options';

interface Sample {
  count: number;
  window: number;
}
const DEFAULTS: Sample = { count: 10, window: 4 };
const FLAGS: IntegerFlags<Sample> = {
  '--count': { key: 'count', min: 1, max: 100 },
  '--window': { key: 'window', min: 0, max: 8 },
};

describe('integer flags', () => {
  it('keeps the defaults without flags and does not change them', () => {
    const parsed = parseIntegerFlags([], DEFAULTS, FLAGS);
    expect(parsed).toEqual({ count: 10, window: 4 });
    parsed.count = 99;
    expect(DEFAULTS.count).toBe(10);
  });

  it('sets the options named, the last occurrence winning', () => {
    expect(parseIntegerFlags(['--window', '0', '--count', '7', '--count', '8'], DEFAULTS, FLAGS)).toEqual({ count: 8, window: 0 });
  });

  it('accepts the bounds of a range and refuses values beyond them', () => {
    expect(parseIntegerFlags(['--count', '100'], DEFAULTS, FLAGS).count).toBe(100);
    expect(() => parseIntegerFlags(['--count', '101'], DEFAULTS, FLAGS)).toThrow('--count needs an integer from 1 to 100, got 101');
    expect(() => parseIntegerFlags(['--count', '0'], DEFAULTS, FLAGS)).toThrow(ConfigError);
  });

  it('refuses fractions, words, empty and missing values', () => {
    for (const bad of [['--count', '2.5'], ['--count', 'ten'], ['--count', ' '], ['--count']]) {
      expect(() => parseIntegerFlags(bad, DEFAULTS, FLAGS)).toThrow(/--count needs an integer/);
    }
  });

  it('refuses unknown flags, listing the known ones', () => {
    expect(() => parseIntegerFlags(['--cuont', '3'], DEFAULTS, FLAGS)).toThrow('unknown option --cuont; known: --count, --window');
  });

  it('requireOption throws a ConfigError only when the condition fails', () => {
    expect(() => requireOption(true, 'fine')).not.toThrow();
    expect(() => requireOption(false, 'window too large')).toThrow(ConfigError);
  });
});

describe('bench options', () => {
  it('adds the NATS url from the environment after the checks passed', () => {
    const check = jest.fn();
    expect(parseBenchOptions(['--count', '3'], { WASMBED_NATS_URL: 'nats://x:4222' }, DEFAULTS, FLAGS, check)).toEqual({ count: 3, window: 4, natsUrl: 'nats://x:4222' });
    expect(check).toHaveBeenCalledWith({ count: 3, window: 4 });
    expect(parseBenchOptions([], {}, DEFAULTS, FLAGS, () => undefined).natsUrl).toBeUndefined();
  });

  it('lets the check refuse a combination', () => {
    const check = (o: Sample) => requireOption(o.window <= o.count, '--window must not exceed --count');
    expect(() => parseBenchOptions(['--count', '2', '--window', '3'], {}, DEFAULTS, FLAGS, check)).toThrow('--window must not exceed --count');
  });
});
