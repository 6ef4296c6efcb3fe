import { InvalidValueError } from '../errors';

// Parsers for flag and argument values. Each throws InvalidValueError saying what
// was expected; ParsedArgs prefixes the flag's name.

const MAX_U32 = 0xffff_ffff;

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  kB: 1000,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
};

/** "256KiB", "1.5MiB", "64000" (bytes) → bytes, a whole number up to 2^32-1. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(text.trim());
  const unit = match === null ? undefined : SIZE_UNITS[match[2]!];
  if (match === null || unit === undefined) {
    throw new InvalidValueError(`expected a size like 256KiB, 1MiB or 65536 (units B, KiB, MiB, GiB, kB, MB, GB), got '${text}'`);
  }
  const bytes = Number(match[1]) * unit;
  if (!Number.isInteger(bytes)) throw new InvalidValueError(`'${text}' is not a whole number of bytes`);
  if (bytes > MAX_U32) throw new InvalidValueError(`'${text}' is more than 4 GiB - 1 byte`);
  return bytes;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s", "10m", "1h30m", "250ms", "0" → milliseconds. A unit is required (except for 0). */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!/^(\d+(ms|s|m|h))+$/.test(trimmed)) {
    throw new InvalidValueError(`expected a duration like 30s, 10m or 1h30m, got '${text}'`);
  }
  let ms = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h)/g)) ms += Number(n) * DURATION_UNITS[unit!]!;
  return ms;
}

/** A duration that must be whole seconds (the api counts seconds). */
export function parseSeconds(text: string): number {
  const ms = parseDuration(text);
  if (ms % 1000 !== 0) throw new InvalidValueError(`'${text}' is not a whole number of seconds`);
  return ms / 1000;
}

/** A non-negative integer that fits a proto uint32. */
export function parseCount(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidValueError(`expected a whole number, got '${text}'`);
  const n = Number(text.trim());
  if (n > MAX_U32) throw new InvalidValueError(`${text} is too large`);
  return n;
}

export function parsePositiveCount(text: string): number {
  const n = parseCount(text);
  if (n === 0) throw new InvalidValueError('must be at least 1');
  return n;
}

/** A device count ("3") or a percentage ("25%", 1..100). */
export type CountOrPercent = { readonly count: number } | { readonly percent: number };

export function parseCountOrPercent(text: string): CountOrPercent {
  const trimmed = text.trim();
  if (!trimmed.endsWith('%')) {
    if (!/^\d+$/.test(trimmed)) throw new InvalidValueError(`expected a number of devices or a percentage like 25%, got '${text}'`);
    return { count: parseCount(trimmed) };
  }
  const digits = trimmed.slice(0, -1);
  if (!/^\d+$/.test(digits) || Number(digits) < 1 || Number(digits) > 100) {
    throw new InvalidValueError(`a percentage must be a whole number from 1% to 100%, got '${text}'`);
  }
  return { percent: Number(digits) };
}

/** "key=value" (the value may contain "=" and be empty). */
export function parseKeyValue(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidValueError(`expected key=value, got '${text}'`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** "env=prod,site=lab" → { env: "prod", site: "lab" }; a key given twice is refused. */
export function parseLabelSelector(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const term of text.split(',')) {
    const [key, value] = parseKeyValue(term.trim());
    if (key in labels) throw new InvalidValueError(`label '${key}' appears twice`);
    labels[key] = value;
  }
  return labels;
}

/** "a,b,c" → ["a", "b", "c"]; empty entries are refused. */
export function parseNameList(text: string): string[] {
  const names = text.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw new InvalidValueError(`expected comma-separated names, got '${text}'`);
  return names;
}

/** Exactly `bytes` bytes as hex (either case). */
export function parseHex(text: string, bytes: number): Buffer {
  const trimmed = text.trim();
  if (trimmed.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(trimmed)) {
    throw new InvalidValueError(`expected ${bytes * 2} hex digits (${bytes} bytes), got ${trimmed.length} characters`);
  }
  return Buffer.from(trimmed, 'hex');
}

/** One of `choices` by name, case-insensitive. */
export function parseChoice<T>(text: string, choices: ReadonlyMap<string, T>): T {
  const value = choices.get(text.trim().toLowerCase());
  if (value === undefined) throw new InvalidValueError(`expected one of ${[...choices.keys()].join(', ')}, got '${text}'`);
  return value;
}
