import { COMMIT_FORMAT_VERSION, decodeCommit, encodeCommit, type RawCommit } from './commit-codec';
import { CorruptEventError, UnknownEventTypeError, UnsupportedSchemaVersionError } from './errors';
import { createEventTypeRegistry } from './registry';
import type { NewEvent } from './types';

const subject = 'wasmbed.evt.device.dev-1';
const registry = createEventTypeRegistry({ DeviceEnrolled: { version: 1 }, DeviceRenamed: { version: 1 } });

const metadata = (eventId: string, causationId?: string): NewEvent['metadata'] => ({
  eventId,
  correlationId: 'corr-1',
  ...(causationId === undefined ? {} : { causationId }),
  actor: 'user:alice',
  timestamp: '2025-01-02T03:04:05.000Z',
});

const raw = (body: Uint8Array | string, overrides: Partial<RawCommit> = {}): RawCommit => ({
  subject,
  position: 7,
  storedAt: '2025-01-02T03:04:06.000Z',
  body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  ...overrides,
});

describe('commit codec', () => {
  it('round-trips a multi-event commit with positions, indexes and metadata', () => {
    const events: NewEvent[] = [
      { event: { type: 'DeviceEnrolled', data: { name: 'a', tags: ['x'] } }, metadata: metadata('e1') },
      { event: { type: 'DeviceRenamed', data: { name: 'b' } }, metadata: metadata('e2', 'cmd-9') },
    ];
    const body = encodeCommit(events, registry, subject);
    expect(JSON.parse(new TextDecoder().decode(body))).toEqual({
      v: COMMIT_FORMAT_VERSION,
      events: [
        { type: 'DeviceEnrolled', schemaVersion: 1, data: { name: 'a', tags: ['x'] }, metadata: metadata('e1') },
        { type: 'DeviceRenamed', schemaVersion: 1, data: { name: 'b' }, metadata: metadata('e2', 'cmd-9') },
      ],
    });
    const decoded = decodeCommit(raw(body), registry);
    expect(decoded).toEqual([
      {
        stream: { aggregateType: 'device', aggregateId: 'dev-1' },
        type: 'DeviceEnrolled',
        data: { name: 'a', tags: ['x'] },
        schemaVersion: 1,
        metadata: metadata('e1'),
        position: 7,
        indexInCommit: 0,
        commitSize: 2,
        storedAt: '2025-01-02T03:04:06.000Z',
      },
      expect.objectContaining({ type: 'DeviceRenamed', indexInCommit: 1, commitSize: 2, metadata: metadata('e2', 'cmd-9') }),
    ]);
    expect('causationId' in decoded[0].metadata).toBe(false);
  });

  it('drops metadata fields outside the contract', () => {
    const extra = { ...metadata('e1'), secret: 'x' } as NewEvent['metadata'];
    const body = encodeCommit([{ event: { type: 'DeviceEnrolled', data: null }, metadata: extra }], registry, subject);
    expect(decodeCommit(raw(body), registry)[0].metadata).toEqual(metadata('e1'));
  });

  it('refuses to encode a type the registry does not know', () => {
    const events: NewEvent[] = [{ event: { type: 'Nope', data: {} }, metadata: metadata('e1') }];
    expect(() => encodeCommit(events, registry, subject)).toThrow(UnknownEventTypeError);
  });

  it('reports an unknown type on decode with type, subject and position', () => {
    const body = encodeCommit(
      [{ event: { type: 'DeviceEnrolled', data: {} }, metadata: metadata('e1') }],
      createEventTypeRegistry({ DeviceEnrolled: { version: 1 } }),
      subject,
    );
    const err = (() => {
      try {
        decodeCommit(raw(body), createEventTypeRegistry({ Other: { version: 1 } }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UnknownEventTypeError);
    expect(err).toMatchObject({ type: 'DeviceEnrolled', subject, position: 7, code: 'internal' });
  });

  it('upcasts older schema versions to the current shape', () => {
    const v1 = createEventTypeRegistry({ DeviceEnrolled: { version: 1 } });
    const v3 = createEventTypeRegistry({
      DeviceEnrolled: {
        version: 3,
        upcasters: {
          1: (d) => ({ ...(d as object), board: 'unknown' }),
          2: (d) => ({ ...(d as object), v3: true }),
        },
      },
    });
    const body = encodeCommit([{ event: { type: 'DeviceEnrolled', data: { name: 'a' } }, metadata: metadata('e1') }], v1, subject);
    const [event] = decodeCommit(raw(body), v3);
    expect(event.schemaVersion).toBe(3);
    expect(event.data).toEqual({ name: 'a', board: 'unknown', v3: true });
  });

  it('refuses schema versions newer than the registry', () => {
    const v2 = createEventTypeRegistry({ DeviceEnrolled: { version: 2, upcasters: { 1: (d) => d } } });
    const body = encodeCommit([{ event: { type: 'DeviceEnrolled', data: {} }, metadata: metadata('e1') }], v2, subject);
    expect(() => decodeCommit(raw(body), registry)).toThrow(UnsupportedSchemaVersionError);
  });

  it('wraps an upcaster crash as a corrupt event', () => {
    const v1 = createEventTypeRegistry({ DeviceEnrolled: { version: 1 } });
    const broken = createEventTypeRegistry({
      DeviceEnrolled: { version: 2, upcasters: { 1: () => { throw new TypeError('boom'); } } },
    });
    const body = encodeCommit([{ event: { type: 'DeviceEnrolled', data: {} }, metadata: metadata('e1') }], v1, subject);
    expect(() => decodeCommit(raw(body), broken)).toThrow(CorruptEventError);
  });

  const validEvent = { type: 'DeviceEnrolled', schemaVersion: 1, data: {}, metadata: metadata('e1') };
  it.each([
    ['not JSON', '{oops'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['not an object', '[1]'],
    ['an unknown format version', JSON.stringify({ v: 2, events: [validEvent] })],
    ['no events', JSON.stringify({ v: 1, events: [] })],
    ['an event without type', JSON.stringify({ v: 1, events: [{ ...validEvent, type: undefined }] })],
    ['a bad schemaVersion', JSON.stringify({ v: 1, events: [{ ...validEvent, schemaVersion: 0 }] })],
    ['metadata without actor', JSON.stringify({ v: 1, events: [{ ...validEvent, metadata: { ...metadata('e1'), actor: 5 } }] })],
  ])('treats a body with %s as corrupt', (_label, body) => {
    expect(() => decodeCommit(raw(body), registry)).toThrow(CorruptEventError);
  });

  it('treats a message outside the event subjects as corrupt', () => {
    const body = JSON.stringify({ v: 1, events: [validEvent] });
    expect(() => decodeCommit(raw(body, { subject: 'wasmbed.evt.device' }), registry)).toThrow(CorruptEventError);
  });
});
