import { errorInfoOf } from './app-supervisor';

describe('errorInfoOf (runtime failure → wire error)', () => {
  it('maps each reason to a protocol code and keeps the precise reason in the message', () => {
    expect(errorInfoOf({ state: 'failed', reason: 'trap', message: 'unreachable' })).toEqual({ code: 'trap', message: 'trap: unreachable' });
    expect(errorInfoOf({ state: 'failed', reason: 'cpu_time_limit', message: 'over 300 ms' })).toEqual({ code: 'limit_exceeded', message: 'cpu_time_limit: over 300 ms' });
    expect(errorInfoOf({ state: 'failed', reason: 'memory_limit', message: 'oob' })).toEqual({ code: 'limit_exceeded', message: 'memory_limit: oob' });
    expect(errorInfoOf({ state: 'failed', reason: 'worker_error', message: 'x' }).code).toBe('internal');
  });

  it('keeps messages within the protocol limit of 256 bytes', () => {
    const info = errorInfoOf({ state: 'failed', reason: 'trap', message: 'x'.repeat(1_000) });
    expect(new TextEncoder().encode(info.message).length).toBeLessThanOrEqual(256);
  });
});
