import { PositionWaiters } from './position-waiters';

describe('PositionWaiters', () => {
  it('resolves callers once their context reaches their position', async () => {
    const waiters = new PositionWaiters();
    const settled: string[] = [];
    const a = waiters.wait('fleet', 5, 1_000, () => new Error('timeout')).then(() => settled.push('fleet@5'));
    const b = waiters.wait('fleet', 8, 1_000, () => new Error('timeout')).then(() => settled.push('fleet@8'));
    const c = waiters.wait('apps', 5, 1_000, () => new Error('timeout')).then(() => settled.push('apps@5'));
    waiters.advance('fleet', 6);
    await a;
    expect(settled).toEqual(['fleet@5']);
    waiters.advance('apps', 5);
    waiters.advance('fleet', 10);
    await Promise.all([b, c]);
    expect(settled.sort()).toEqual(['apps@5', 'fleet@5', 'fleet@8']);
    expect(waiters.size).toBe(0);
  });

  it('rejects with the caller-built error when the timeout passes first', async () => {
    const waiters = new PositionWaiters();
    const started = Date.now();
    await expect(waiters.wait('fleet', 3, 30, () => new Error('too slow'))).rejects.toThrow('too slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(waiters.size).toBe(0);
    waiters.advance('fleet', 3); // late progress has no one left to wake
  });

  it('rejects everyone on rejectAll', async () => {
    const waiters = new PositionWaiters();
    const pending = [waiters.wait('fleet', 1, 1_000, () => new Error('t')), waiters.wait('apps', 2, 1_000, () => new Error('t'))];
    waiters.rejectAll(new Error('failed'));
    for (const p of pending) await expect(p).rejects.toThrow('failed');
    expect(waiters.size).toBe(0);
  });
});
