/**
 * Token bucket: `burst` events at once, then `perSecond` on average. The clock is
 * injectable so that tests control time instead of sleeping.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError(`invalid token bucket ${perSecond}/s, burst ${burst}`);
    this.tokens = burst;
    this.refilledAt = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }
}

/**
 * Rate limit for an app's log lines: lines over the limit are dropped and counted,
 * and the next line that passes is preceded by one note saying how many were lost.
 */
export class LogRateLimiter {
  private dropped = 0;
  private readonly bucket: TokenBucket;

  constructor(perSecond: number, burst: number, now?: () => number) {
    this.bucket = new TokenBucket(perSecond, burst, now);
  }

  /** Lines to forward for one line the app logged (none, the line, or a drop note and the line). */
  admit<T>(line: T, droppedNote: (count: number) => T): T[] {
    if (!this.bucket.take()) {
      this.dropped += 1;
      return [];
    }
    if (this.dropped === 0) return [line];
    const note = droppedNote(this.dropped);
    this.dropped = 0;
    return [note, line];
  }

  /** The note for lines dropped since the last one, if any (e.g. when the app ends and no later line would carry it). */
  flush<T>(droppedNote: (count: number) => T): T[] {
    if (this.dropped === 0) return [];
    const note = droppedNote(this.dropped);
    this.dropped = 0;
    return [note];
  }

  get droppedSinceLastNote(): number {
    return this.dropped;
  }
}
