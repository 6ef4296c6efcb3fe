import { InvalidValueError } from '../errors';
import {
  parseChoice,
  parseCount,
  parseCountOrPercent,
  parseDuration,
  parseHex,
  parseKeyValue,
  parseLabelSelector,
  parseNameList,
  parseSeconds,
  parseSize,
} from './values';

describe('parseSize', () => {
  it.each([
    ['256KiB', 262_144],
    ['1MiB', 1_048_576],
    ['1.5MiB', 1_572_864],
    ['64kB', 64_000],
    ['2 MB', 2_000_000],
    ['65536', 65_536],
    ['100B', 100],
    ['0', 0],
  ])('%s → %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'KiB', '12QB', '-1KiB', '1.3B', '4GiB', 'lots'])('refuses %p', (text) => {
    expect(() => parseSize(text)).toThrow(InvalidValueError);
  });

  it('says which units it knows', () => {
    expect(() => parseSize('3 parsecs')).toThrow(/256KiB.*KiB, MiB/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
    ['0', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '1.5s', 's', '10 minutes', '-5s', ''])('refuses %p (a unit is required)', (text) => {
    expect(() => parseDuration(text)).toThrow(/expected a duration like 30s/);
  });

  it('parseSeconds refuses fractions of a second', () => {
    expect(parseSeconds('2m')).toBe(120);
    expect(() => parseSeconds('1500ms')).toThrow(/whole number of seconds/);
  });
});

describe('parseCountOrPercent', () => {
  it('reads counts and percentages', () => {
    expect(parseCountOrPercent('3')).toEqual({ count: 3 });
    expect(parseCountOrPercent('25%')).toEqual({ percent: 25 });
    expect(parseCountOrPercent('100%')).toEqual({ percent: 100 });
  });

  it.each(['0%', '101%', '2.5%', 'x%', '-1', 'ten'])('refuses %p', (text) => {
    expect(() => parseCountOrPercent(text)).toThrow(InvalidValueError);
  });
});

describe('parseCount', () => {
  it('accepts uint32 values only', () => {
    expect(parseCount('0')).toBe(0);
    expect(parseCount('4294967295')).toBe(4_294_967_295);
    expect(() => parseCount('4294967296')).toThrow(/too large/);
    expect(() => parseCount('-3')).toThrow(/whole number/);
  });
});

describe('key=value parsing', () => {
  it('splits at the first "=" and keeps empty values', () => {
    expect(parseKeyValue('GREETING=a=b')).toEqual(['GREETING', 'a=b']);
    expect(parseKeyValue('EMPTY=')).toEqual(['EMPTY', '']);
  });

  it('needs a key and an "="', () => {
    expect(() => parseKeyValue('=v')).toThrow(/expected key=value/);
    expect(() => parseKeyValue('novalue')).toThrow(/expected key=value/);
  });

  it('reads selectors and refuses a repeated key', () => {
    expect(parseLabelSelector('env=prod, site=lab-2')).toEqual({ env: 'prod', site: 'lab-2' });
    expect(() => parseLabelSelector('env=prod,env=dev')).toThrow(/'env' appears twice/);
  });

  it('reads name lists without empty entries', () => {
    expect(parseNameList('a, b,c')).toEqual(['a', 'b', 'c']);
    expect(() => parseNameList('a,,b')).toThrow(/comma-separated/);
  });
});

describe('parseHex and parseChoice', () => {
  it('reads exactly the expected number of bytes', () => {
    expect(parseHex('AB'.repeat(32), 32)).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseHex('ab'.repeat(31), 32)).toThrow(/64 hex digits/);
    expect(() => parseHex('zz'.repeat(32), 32)).toThrow(/64 hex digits/);
  });

  it('picks a choice case-insensitively and lists them on error', () => {
    const choices = new Map([
      ['connected', 4],
      ['pending', 1],
    ]);
    expect(parseChoice('Connected', choices)).toBe(4);
    expect(() => parseChoice('gone', choices)).toThrow("expected one of connected, pending, got 'gone'");
  });
});
