import { ValidationError } from '@wasmbed/errors';
import { UnsupportedSchemaVersionError } from './errors';
import type { EventTypeRegistry } from './types';

/** Turns data of schema version `fromVersion` into version `fromVersion + 1`. */
export type Upcaster = (data: unknown) => unknown;

export interface EventTypeDefinition {
  /** Current schema version (1 for a type that never changed). */
  readonly version: number;
  /** Keyed by the version they upgrade FROM; version N needs upcasters N..current-1. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>;
}

export interface DefinedEventTypeRegistry extends EventTypeRegistry {
  /** Registered type names, sorted. */
  readonly types: readonly string[];
}

// Type names travel in a comma-separated header, so no commas or whitespace.
const TYPE_NAME = /^[^\s,\p{Cc}]{1,200}$/u;

function validateDefinition(type: string, def: EventTypeDefinition, issues: string[]): void {
  if (!TYPE_NAME.test(type)) issues.push(`${type}: name must be 1-200 characters without whitespace or commas`);
  if (!Number.isSafeInteger(def.version) || def.version < 1) issues.push(`${type}: version must be an integer >= 1`);
  for (const [from, fn] of Object.entries(def.upcasters ?? {})) {
    const n = Number(from);
    if (!Number.isSafeInteger(n) || n < 1 || n >= def.version) {
      issues.push(`${type}: upcaster key ${from} must be an integer in [1, ${def.version - 1}]`);
    }
    if (typeof fn !== 'function') issues.push(`${type}: upcaster ${from} must be a function`);
  }
}

/**
 * Builds an EventTypeRegistry from `{ [type]: { version, upcasters } }`. Upcasting
 * applies the chain fromVersion -> fromVersion+1 -> ... -> version.
 */
export function createEventTypeRegistry(
  definitions: Readonly<Record<string, EventTypeDefinition>>,
): DefinedEventTypeRegistry {
  const issues: string[] = [];
  for (const [type, def] of Object.entries(definitions)) validateDefinition(type, def, issues);
  if (issues.length > 0) throw new ValidationError('invalid event type registry', issues);
  const table = new Map(Object.entries(definitions).map(([type, def]) => [type, { ...def, upcasters: { ...def.upcasters } }]));

  return {
    types: [...table.keys()].sort(),
    currentSchemaVersion: (type) => table.get(type)?.version,
    upcast(type, schemaVersion, data) {
      const def = table.get(type);
      if (def === undefined) throw new UnsupportedSchemaVersionError(type, schemaVersion, 'type is not registered');
      if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
        throw new UnsupportedSchemaVersionError(type, schemaVersion, 'not a valid schema version');
      }
      if (schemaVersion > def.version) {
        throw new UnsupportedSchemaVersionError(type, schemaVersion, `newer than this process knows (${def.version})`);
      }
      let upcasted = data;
      for (let v = schemaVersion; v < def.version; v++) {
        const step = def.upcasters[v];
        if (step === undefined) throw new UnsupportedSchemaVersionError(type, schemaVersion, `no upcaster from version ${v}`);
        upcasted = step(upcasted);
      }
      return upcasted;
    },
  };
}
