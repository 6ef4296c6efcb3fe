import { InvalidQuery } from '../errors';

/** page_size as a number (validated again by the page size rules). */
export function intParam(params: URLSearchParams, name: string): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return 0;
  if (!/^\d{1,9}$/.test(raw)) throw new InvalidQuery(name, 'must be a non-negative integer');
  return Number(raw);
}

/**
 * A proto enum value by name, with or without its prefix: `phase=CONNECTED`
 * and `phase=DEVICE_PHASE_CONNECTED` are the same. Absent = 0 (UNSPECIFIED).
 */
export function enumParam(params: URLSearchParams, name: string, values: Record<string, string | number>, prefix: string): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return 0;
  const upper = raw.toUpperCase();
  for (const candidate of [upper, `${prefix}${upper}`]) {
    const value = values[candidate];
    if (typeof value === 'number' && value > 0) return value;
  }
  const known = Object.keys(values).filter((key) => key.startsWith(prefix) && !key.endsWith('UNSPECIFIED')).map((key) => key.slice(prefix.length));
  throw new InvalidQuery(name, `'${raw}' is not one of ${known.join(', ')}`);
}
