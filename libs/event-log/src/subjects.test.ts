import { InvalidStreamId } from './errors';
import { parseSubject, streamNameFor, subjectFor, subjectsOfAggregateType } from './subjects';

describe('subjectFor', () => {
  it('builds wasmbed.evt.<aggregateType>.<aggregateId>', () => {
    expect(subjectFor({ aggregateType: 'device', aggregateId: 'dev-42_A' })).toBe('wasmbed.evt.device.dev-42_A');
  });

  it.each([
    ['a dot', 'a.b'],
    ['a star wildcard', 'a*'],
    ['a tail wildcard', '>'],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['a control character', 'a\u0000'],
    ['nothing', ''],
    ['129 characters', 'x'.repeat(129)],
  ])('rejects an aggregate id with %s', (_label, aggregateId) => {
    const call = (): string => subjectFor({ aggregateType: 'device', aggregateId });
    expect(call).toThrow(InvalidStreamId);
    try {
      call();
    } catch (err) {
      expect((err as InvalidStreamId).code).toBe('invalid_argument');
      expect((err as InvalidStreamId).field).toBe('aggregateId');
    }
  });

  it('accepts 128 characters and validates the aggregate type too', () => {
    expect(subjectFor({ aggregateType: 'device', aggregateId: 'x'.repeat(128) })).toHaveLength('wasmbed.evt.device.'.length + 128);
    expect(() => subjectFor({ aggregateType: 'dev.ice', aggregateId: 'a' })).toThrow(/aggregateType/);
  });
});

describe('parseSubject', () => {
  it('inverts subjectFor', () => {
    const ref = { aggregateType: 'application', aggregateId: 'app-1' };
    expect(parseSubject(subjectFor(ref))).toEqual(ref);
  });

  it.each(['other.evt.device.a', 'wasmbed.evt.device', 'wasmbed.evt.device.a.b', 'wasmbed.evt..a'])(
    'returns undefined for %s',
    (subject) => expect(parseSubject(subject)).toBeUndefined(),
  );
});

describe('stream naming', () => {
  it('upper-cases the context after the prefix', () => {
    expect(streamNameFor('WASMBED_EVT', 'fleet')).toBe('WASMBED_EVT_FLEET');
  });

  it('refuses names JetStream cannot use', () => {
    expect(() => streamNameFor('WASMBED.EVT', 'fleet')).toThrow(InvalidStreamId);
    expect(() => streamNameFor('WASMBED_EVT', 'fle et')).toThrow(InvalidStreamId);
  });

  it('covers every id of an aggregate type with one token wildcard', () => {
    expect(subjectsOfAggregateType('device')).toBe('wasmbed.evt.device.*');
  });
});
