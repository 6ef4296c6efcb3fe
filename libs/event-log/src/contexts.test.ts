import { ValidationError } from '@wasmbed/errors';
import { ContextCatalog } from './contexts';
import { InvalidStreamId, UnknownContextError } from './errors';
import { createEventTypeRegistry } from './registry';
import { streamConfigFor } from './stream-config';

const fleet = createEventTypeRegistry({ DeviceEnrolled: { version: 1 } });
const apps = createEventTypeRegistry({ AppPublished: { version: 1 } });
const contexts = [
  { name: 'fleet', aggregateTypes: ['device', 'gateway'] },
  { name: 'apps', aggregateTypes: ['application'] },
];

describe('ContextCatalog', () => {
  it('routes aggregate types to their context stream and registry', () => {
    const catalog = new ContextCatalog(contexts, { fleet, apps }, 'WASMBED_EVT');
    const ctx = catalog.contextOf({ aggregateType: 'gateway', aggregateId: 'g1' });
    expect(ctx).toMatchObject({
      name: 'fleet',
      streamName: 'WASMBED_EVT_FLEET',
      subjects: ['wasmbed.evt.device.*', 'wasmbed.evt.gateway.*'],
    });
    expect(ctx.registry).toBe(fleet);
    expect(catalog.context('apps').registry).toBe(apps);
  });

  it('accepts one registry for every context', () => {
    const catalog = new ContextCatalog(contexts, fleet, 'P');
    expect(catalog.context('apps').registry).toBe(fleet);
  });

  it('rejects unknown contexts and aggregate types', () => {
    const catalog = new ContextCatalog(contexts, fleet, 'P');
    expect(() => catalog.context('billing')).toThrow(UnknownContextError);
    expect(() => catalog.contextOf({ aggregateType: 'invoice', aggregateId: 'i' })).toThrow(InvalidStreamId);
    expect(() => catalog.contextOf({ aggregateType: 'device', aggregateId: 'a.b' })).toThrow(InvalidStreamId);
  });

  it('validates the whole topology at once', () => {
    const attempt = (): unknown =>
      new ContextCatalog(
        [
          { name: 'fleet', aggregateTypes: ['device'] },
          { name: 'other', aggregateTypes: ['device'] },
          { name: 'bad name', aggregateTypes: ['x'] },
          { name: 'empty', aggregateTypes: [] },
        ],
        { fleet, other: fleet, empty: fleet },
        'P',
      );
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (err) {
      const issues = (err as ValidationError).issues.join('\n');
      expect(issues).toMatch(/device belongs to both fleet and other/);
      expect(issues).toMatch(/bad name: no event type registry/);
      expect(issues).toMatch(/empty: no aggregate types/);
    }
    expect(() => new ContextCatalog([], fleet, 'P')).toThrow(ValidationError);
  });
});

describe('streamConfigFor', () => {
  it('never loses events silently and deduplicates within the window', () => {
    const ctx = new ContextCatalog(contexts, fleet, 'WASMBED_EVT').context('fleet');
    const config = streamConfigFor(ctx, { replicas: 3, duplicateWindowMs: 120_000, maxMessageBytes: 1024 });
    expect(config).toMatchObject({
      name: 'WASMBED_EVT_FLEET',
      subjects: ['wasmbed.evt.device.*', 'wasmbed.evt.gateway.*'],
      storage: 'file',
      discard: 'new',
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      max_msgs_per_subject: -1,
      max_msg_size: 1024,
      num_replicas: 3,
      duplicate_window: 120_000_000_000,
      deny_delete: true,
      deny_purge: true,
      allow_rollup_hdrs: false,
    });
  });
});
