/**
 * When to plan: once soon after any change (changes arriving together make one
 * pass), and on a timer for what only time changes (back-offs, health gates,
 * timeouts). A pass never overlaps another: planning is synchronous.
 *
 * Passes are at least `minGapMs` apart. Why: a pass plans every target of every
 * application, and during a rollout the changes (device reports, liveness, replies,
 * commits) arrive one per event-loop turn: planned one by one, a wave of a thousand
 * devices cost the controller seconds of CPU in passes that each found next to
 * nothing new. Changes within the gap are planned together.
 */
export class Reconciler {
  private pending = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private lastPassAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pass: () => void,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly minGapMs = 0,
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
    const run = (): void => {
      this.pending = false;
      if (this.stopped) return;
      this.lastPassAt = Date.now();
      try {
        this.pass();
      } catch (err) {
        this.onError(err);
      }
    };
    const waitMs = this.lastPassAt + this.minGapMs - Date.now();
    if (waitMs > 0) setTimeout(run, waitMs);
    else setImmediate(run);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
