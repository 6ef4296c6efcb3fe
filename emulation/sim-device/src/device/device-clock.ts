/**
 * Wall-clock time as the device knows it. An MCU has no trustworthy clock of its
 * own: it takes the gateway's serverTimeMs (Welcome, HeartbeatAck) and advances
 * it with its monotonic timer. Until the first sync it falls back to the host clock.
 */
export class DeviceClock {
  private base?: { serverTimeMs: number; at: number };

  constructor(
    private readonly monotonic: () => number = () => performance.now(),
    private readonly fallback: () => number = Date.now,
  ) {}

  sync(serverTimeMs: number): void {
    this.base = { serverTimeMs, at: this.monotonic() };
  }

  get synced(): boolean {
    return this.base !== undefined;
  }

  /** Milliseconds since the Unix epoch, integral. */
  nowMs(): number {
    if (!this.base) return this.fallback();
    return Math.floor(this.base.serverTimeMs + (this.monotonic() - this.base.at));
  }
}
