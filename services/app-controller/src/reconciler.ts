/**
 * When to plan: once soon after any change (changes arriving together make one
 * pass), and on a timer for what only time changes (back-offs, health gates,
 * timeouts). A pass never overlaps another: planning is synchronous.
 */
export class Reconciler {
  private pending = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly pass: () => void,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => this.request(), this.intervalMs);
    this.timer.unref();
    this.request();
  }

  /** Something changed: plan again soon. */
  request(): void {
    if (this.pending || this.stopped || this.timer === undefined) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      if (this.stopped) return;
      try {
        this.pass();
      } catch (err) {
        this.onError(err);
      }
    });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
