import { ConfigError } from '@wasmbed/errors';
import { parseIntegerFlags, requireOption, type IntegerFlags } from './cli-options';

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
