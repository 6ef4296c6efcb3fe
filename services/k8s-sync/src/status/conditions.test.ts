import { keepTransitionTimes, rfc3339, settleConditions, truncate, MAX_MESSAGE_CHARS, type Condition } from './conditions';

const cond = (type: string, status: Condition['status'], reason: string, time: string): Condition => ({ type, status, reason, message: '', lastTransitionTime: time });

describe('rfc3339', () => {
  it('writes seconds precision in UTC, as Kubernetes does', () => {
    expect(rfc3339(new Date('2024-05-01T12:34:56.789Z'))).toBe('2024-05-01T12:34:56Z');
  });
});

describe('truncate', () => {
  it('keeps short text and cuts long text to the limit', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('x'.repeat(10_000))).toHaveLength(MAX_MESSAGE_CHARS);
  });
});

describe('keepTransitionTimes', () => {
  const before = [cond('Ready', 'True', 'Ready', '2024-01-01T00:00:00Z'), cond('Connected', 'True', 'SessionOpen', '2024-01-01T00:00:00Z')];

  it('keeps the time of a condition whose status did not change, even when its reason did', () => {
    const next = [cond('Ready', 'True', 'Other', '2024-02-02T00:00:00Z'), cond('Connected', 'False', 'Disconnected', '2024-02-02T00:00:00Z')];
    const out = keepTransitionTimes(before, next);
    expect(out[0]).toEqual({ ...next[0], lastTransitionTime: '2024-01-01T00:00:00Z' });
    expect(out[1]).toEqual(next[1]);
  });

  it('stamps a new condition type with its own time', () => {
    const out = keepTransitionTimes(before, [cond('Synced', 'True', 'Applied', '2024-03-03T00:00:00Z')]);
    expect(out[0].lastTransitionTime).toBe('2024-03-03T00:00:00Z');
  });

  it('returns the next conditions as they are without a previous list', () => {
    const next = [cond('Ready', 'False', 'X', '2024-03-03T00:00:00Z')];
    expect(keepTransitionTimes(undefined, next)).toEqual(next);
  });
});

describe('settleConditions', () => {
  const derived = [
    { type: 'Ready', status: 'True' as const, reason: 'Ready', message: 'fine' },
    { type: 'Available', status: 'False' as const, reason: 'Nope', message: 'y'.repeat(2_000) },
  ];

  it('puts the sync’s own conditions first and lets them win over a derived one of the same type', () => {
    const synced = cond('Synced', 'True', 'Applied', '2023-01-01T00:00:00Z');
    const ownReady = cond('Ready', 'Unknown', 'Mine', '2023-01-01T00:00:00Z');
    const out = settleConditions(derived, { conditions: [synced, ownReady] }, new Date('2024-01-01T00:00:00Z'));
    expect(out.map((c) => [c.type, c.reason])).toEqual([
      ['Synced', 'Applied'],
      ['Ready', 'Mine'],
      ['Available', 'Nope'],
    ]);
  });

  it('stamps derived conditions with extra.now (else the given stamp), the observed generation, and cut messages', () => {
    const out = settleConditions(derived, { observedGeneration: 7, now: new Date('2024-06-01T10:00:00.500Z') }, new Date(0));
    expect(out[0]).toEqual({ type: 'Ready', status: 'True', reason: 'Ready', message: 'fine', lastTransitionTime: '2024-06-01T10:00:00Z', observedGeneration: 7 });
    expect(out[1].message).toHaveLength(MAX_MESSAGE_CHARS);
    expect(settleConditions(derived, {}, new Date('2020-01-01T00:00:00Z'))[0]).not.toHaveProperty('observedGeneration');
    expect(settleConditions(derived, {}, new Date('2020-01-01T00:00:00Z'))[0].lastTransitionTime).toBe('2020-01-01T00:00:00Z');
  });

  it('keeps previous transition times for unchanged statuses', () => {
    const previous = [cond('Ready', 'True', 'Ready', '2019-01-01T00:00:00Z'), cond('Available', 'True', 'Yes', '2019-01-01T00:00:00Z')];
    const out = settleConditions(derived, { previousConditions: previous, now: new Date('2024-01-01T00:00:00Z') }, new Date(0));
    expect(out.map((c) => c.lastTransitionTime)).toEqual(['2019-01-01T00:00:00Z', '2024-01-01T00:00:00Z']);
  });
});
