// The JSON form of protocol values used by the test vectors: byte strings become
// {"$bytes": "<lowercase hex>"}, everything else maps one to one.

export type JsonValue = number | string | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export function toJsonForm(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
  if (Array.isArray(value)) return value.map(toJsonForm);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) Object.defineProperty(out, k, { value: toJsonForm(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  throw new TypeError(`no JSON form for ${typeof value}`);
}

export function fromJsonForm(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(fromJsonForm);
  if (typeof value === 'object' && value !== null) {
    const map = value as { readonly [key: string]: JsonValue };
    const keys = Object.keys(map);
    if (keys.length === 1 && keys[0] === '$bytes' && typeof map.$bytes === 'string') return hexToBytes(map.$bytes);
    const out: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(out, k, { value: fromJsonForm(map[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

export function hexToBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new TypeError(`not lowercase hex: ${hex.slice(0, 16)}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
