import { ValidationError } from '@wasmbed/errors';
import { defineProjection, type Projection } from './projection';

const valid: Projection = { name: 'device_phases', contexts: ['fleet'], handle: async () => undefined };

describe('defineProjection', () => {
  it('returns a valid definition unchanged', () => {
    expect(defineProjection(valid)).toBe(valid);
    expect(defineProjection({ ...valid, contexts: ['fleet', 'apps'], eventTypes: ['DeviceEnrolled'] })).toBeDefined();
  });

  it.each([
    ['a name that is not one subject token', { name: 'device.phases' }],
    ['an empty name', { name: '' }],
    ['no contexts', { contexts: [] }],
    ['a context with a dot', { contexts: ['fle.et'] }],
    ['a context listed twice', { contexts: ['fleet', 'fleet'] }],
    ['an empty event type', { eventTypes: [''] }],
  ])('rejects %s', (_label, override) => {
    expect(() => defineProjection({ ...valid, ...override })).toThrow(ValidationError);
  });
});
