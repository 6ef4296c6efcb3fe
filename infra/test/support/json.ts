/** Parsed YAML/JSON as the manifests hold it. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `key`, or an empty one (never written back). */
export function objectAt(parent: Json | undefined, key: string): JsonObject {
  const value = isObject(parent) ? parent[key] : undefined;
  return isObject(value) ? value : {};
}

/** The array at `key`, or an empty one (never written back). */
export function arrayAt(parent: Json | undefined, key: string): Json[] {
  const value = isObject(parent) ? parent[key] : undefined;
  return Array.isArray(value) ? value : [];
}

export function stringAt(parent: Json | undefined, key: string): string | undefined {
  const value = isObject(parent) ? parent[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** Every value in the tree, depth first (to find references wherever they sit). */
export function* walk(value: Json, path: string[] = []): Generator<{ path: string[]; value: Json }> {
  yield { path, value };
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* walk(item, [...path, String(i)]);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) yield* walk(item, [...path, key]);
  }
}
