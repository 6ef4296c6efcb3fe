import { InvalidCommitError } from './errors';
import type { NewEvent } from './types';
import { expectedSubjectSequence, validateNewEvents } from './validate-commit';

const stream = { aggregateType: 'device', aggregateId: 'd1' };
const event = (eventId: string, overrides: Partial<NewEvent['metadata']> = {}): NewEvent => ({
  event: { type: 'DeviceEnrolled', data: {} },
  metadata: { eventId, correlationId: 'c', actor: 'a', timestamp: '2025-01-01T00:00:00Z', ...overrides },
});

describe('validateNewEvents', () => {
  it('accepts well-formed events with distinct ids', () => {
    expect(() => validateNewEvents(stream, [event('e1'), event('e2', { causationId: 'cmd' })])).not.toThrow();
  });

  it.each([
    ['an empty commit', []],
    ['an empty event id', [event('')]],
    ['a repeated event id', [event('e1'), event('e1')]],
    ['a correlation id with a newline', [event('e1', { correlationId: 'a\r\nX-Injected: 1' })]],
    ['an empty causation id', [event('e1', { causationId: '' })]],
    ['a timestamp that is not a time', [event('e1', { timestamp: 'yesterday' })]],
  ])('rejects %s', (_label, events) => {
    expect(() => validateNewEvents(stream, events as NewEvent[])).toThrow(InvalidCommitError);
  });
});

describe('expectedSubjectSequence', () => {
  it('maps expected versions to the JetStream header value', () => {
    expect(expectedSubjectSequence(stream, 'any')).toBeUndefined();
    expect(expectedSubjectSequence(stream, 'no_stream')).toBe(0);
    expect(expectedSubjectSequence(stream, 0)).toBe(0);
    expect(expectedSubjectSequence(stream, 12)).toBe(12);
  });

  it.each([-1, 1.5, Number.NaN])('rejects %p', (v) => {
    expect(() => expectedSubjectSequence(stream, v)).toThrow(InvalidCommitError);
  });
});
