/**
 * A decoded floating-point number. Kept apart from integers so that a field that
 * must be an integer never accepts 1.0; no v1 field is a float.
 */
export class CborFloat {
  constructor(readonly value: number) {}
}

/**
 * The data model of the protocol's CBOR: integers beyond 2^53 decode to bigint,
 * byte strings to Uint8Array, maps (text keys only) to plain objects whose keys
 * are all own data properties ("__proto__" included).
 */
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | CborFloat
  | readonly CborValue[]
  | CborMap;

export interface CborMap {
  readonly [key: string]: CborValue | undefined;
}

export function isCborMap(value: unknown): value is CborMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}
