import { LogRateLimiter, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 99;
    expect(bucket.take()).toBe(false);
    now = 100; // 0.1 s at 10/s = one token
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now = 10_000; // refills only up to the burst
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('rejects a rate or burst that could never pass anything', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0.5)).toThrow(RangeError);
  });
});

describe('LogRateLimiter', () => {
  it('drops lines over the limit and says how many before the next line that passes', () => {
    let now = 0;
    const limiter = new LogRateLimiter(1, 2, () => now);
    const note = (n: number) => `dropped ${n}`;
    const out = ['a', 'b', 'c', 'd'].flatMap((line) => limiter.admit(line, note));
    expect(out).toEqual(['a', 'b']);
    expect(limiter.droppedSinceLastNote).toBe(2);
    now = 1_000;
    expect(limiter.admit('e', note)).toEqual(['dropped 2', 'e']);
    expect(limiter.droppedSinceLastNote).toBe(0);
    expect(limiter.flush(note)).toEqual([]);
    limiter.admit('f', note);
    limiter.admit('g', note);
    expect(limiter.flush(note)).toEqual(['dropped 2']); // no time passed since 'e': both were dropped
  });
});
