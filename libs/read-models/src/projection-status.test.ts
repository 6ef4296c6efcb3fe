import { ValidationError } from '@wasmbed/errors';
import { errorInfo, lagEvents, projectionState, projectionStatus } from './projection-status';

const failure = errorInfo(new Error('boom'), 'fleet', 7, new Date('2024-05-01T00:00:00Z'));

describe('projection status', () => {
  it('computes lag as head minus checkpoint, never below zero', () => {
    expect(lagEvents(10, 4)).toBe(6);
    expect(lagEvents(4, 4)).toBe(0);
    expect(lagEvents(3, 4)).toBe(0);
  });

  it('derives the state: failed beats stopped, stopped beats progress', () => {
    const behind = { checkpoint: 2, head: 9, caughtUp: false };
    const caughtUp = { checkpoint: 9, head: 12, caughtUp: true };
    expect(projectionState({ running: true }, behind)).toBe('catching_up');
    expect(projectionState({ running: true }, caughtUp)).toBe('live');
    expect(projectionState({ running: false }, caughtUp)).toBe('stopped');
    expect(projectionState({ running: true, failure }, caughtUp)).toBe('failed');
    expect(projectionState({ running: false, failure }, behind)).toBe('failed');
  });

  it('stays live while new commits arrive once caught up (live lag is not a replay)', () => {
    expect(projectionState({ running: true }, { checkpoint: 20, head: 25, caughtUp: true })).toBe('live');
  });

  it('builds the per-context status and only carries lastError when failed', () => {
    const progress = { checkpoint: 3, head: 5, caughtUp: false };
    expect(projectionStatus('phases', 'fleet', { running: true }, progress)).toEqual({
      name: 'phases',
      context: 'fleet',
      checkpoint: 3,
      head: 5,
      lagEvents: 2,
      state: 'catching_up',
    });
    expect(projectionStatus('phases', 'fleet', { running: true, failure }, progress)).toMatchObject({
      state: 'failed',
      lastError: { message: 'boom', context: 'fleet', position: 7, at: '2024-05-01T00:00:00.000Z' },
    });
  });

  it('describes errors with their WasmbedError code, and non-errors as text', () => {
    const info = errorInfo(new ValidationError('bad'), 'apps', undefined, new Date(0));
    expect(info).toEqual({ name: 'ValidationError', message: 'bad', code: 'invalid_argument', context: 'apps', at: '1970-01-01T00:00:00.000Z' });
    expect(errorInfo('plain', 'apps', 1, new Date(0))).toMatchObject({ name: 'Error', message: 'plain', position: 1 });
    expect(errorInfo('plain', 'apps', 1, new Date(0))).not.toHaveProperty('code');
  });
});
