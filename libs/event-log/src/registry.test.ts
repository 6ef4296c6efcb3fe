import { ValidationError } from '@wasmbed/errors';
import { UnsupportedSchemaVersionError } from './errors';
import { createEventTypeRegistry } from './registry';

describe('createEventTypeRegistry', () => {
  const registry = createEventTypeRegistry({
    AppPublished: {
      version: 3,
      upcasters: {
        1: (d) => ({ ...(d as Record<string, unknown>), from1: true }),
        2: (d) => ({ ...(d as Record<string, unknown>), from2: true }),
      },
    },
    AppDeleted: { version: 1 },
    Sparse: { version: 3, upcasters: { 2: (d) => d } },
  });

  it('reports current versions and knows its types', () => {
    expect(registry.currentSchemaVersion('AppPublished')).toBe(3);
    expect(registry.currentSchemaVersion('AppDeleted')).toBe(1);
    expect(registry.currentSchemaVersion('Missing')).toBeUndefined();
    expect(registry.types).toEqual(['AppDeleted', 'AppPublished', 'Sparse']);
  });

  it('chains upcasters from the stored version', () => {
    expect(registry.upcast('AppPublished', 1, { a: 1 })).toEqual({ a: 1, from1: true, from2: true });
    expect(registry.upcast('AppPublished', 2, { a: 1 })).toEqual({ a: 1, from2: true });
    expect(registry.upcast('AppPublished', 3, { a: 1 })).toEqual({ a: 1 });
  });

  it('fails when a step of the chain is missing or the version is out of range', () => {
    expect(() => registry.upcast('Sparse', 1, {})).toThrow(UnsupportedSchemaVersionError);
    expect(registry.upcast('Sparse', 2, { k: 1 })).toEqual({ k: 1 });
    expect(() => registry.upcast('AppDeleted', 2, {})).toThrow(/newer/);
    expect(() => registry.upcast('AppDeleted', 0, {})).toThrow(UnsupportedSchemaVersionError);
    expect(() => registry.upcast('Missing', 1, {})).toThrow(UnsupportedSchemaVersionError);
  });

  it('validates definitions up front', () => {
    const attempt = (): unknown =>
      createEventTypeRegistry({
        'Bad Name': { version: 1 },
        Zero: { version: 0 },
        WrongKey: { version: 2, upcasters: { 2: (d) => d } },
      });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (err) {
      expect((err as ValidationError).issues).toHaveLength(3);
    }
  });
});
