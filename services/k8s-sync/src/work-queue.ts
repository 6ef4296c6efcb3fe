export interface WorkQueueOptions<Key> {
  /** Handles one key; a key is never handled twice at once. It should not throw (a rejection is passed to onError). */
  readonly worker: (key: Key) => Promise<void>;
  /** Keys handled at once; default 4. */
  readonly concurrency?: number;
  readonly now?: () => number;
  readonly onError?: (key: Key, err: unknown) => void;
  /**
   * Lane of a key, 0 first (default: every key in lane 0). Due keys of a lower lane run
   * before any of a higher one, so a few Application keys never wait behind 10,000 Devices.
   */
  readonly lane?: (key: Key) => number;
}

/**
 * Keys to reconcile, each at most once in the queue: adding a key that is already due
 * keeps the earlier time, and a key added while it is being handled runs again after.
 * Level-triggered work needs nothing more: the handler reads the current state.
 */
export class WorkQueue<Key> {
  /** Queued keys and when they are due, one map per lane. */
  private readonly lanes: Map<Key, number>[] = [];
  private readonly active = new Set<Key>();
  /** Keys added while active: when to run them again. */
  private readonly again = new Map<Key, number>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private started = false;
  private stopped = false;
  private readonly now: () => number;
  private readonly concurrency: number;

  constructor(private readonly options: WorkQueueOptions<Key>) {
    this.now = options.now ?? Date.now;
    this.concurrency = options.concurrency ?? 4;
  }

  /** Queued and active keys. */
  get depth(): number {
    return this.lanes.reduce((n, lane) => n + lane.size, 0) + this.active.size;
  }

  add(key: Key, delayMs = 0): void {
    if (this.stopped) return;
    const at = this.now() + Math.max(0, delayMs);
    const pending = this.active.has(key) ? this.again : this.laneOf(key);
    const current = pending.get(key);
    if (current === undefined || at < current) pending.set(key, at);
    this.pump();
  }

  start(): void {
    this.started = true;
    this.pump();
  }

  /** Stops taking keys and waits for the handlers under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const lane of this.lanes) lane.clear();
    this.again.clear();
    await Promise.all([...this.running]);
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    const now = this.now();
    let next = Number.POSITIVE_INFINITY;
    for (const lane of this.lanes) {
      if (lane === undefined) continue;
      for (const [key, at] of lane) {
        if (this.active.size >= this.concurrency) break;
        if (at > now) {
          next = Math.min(next, at);
          continue;
        }
        lane.delete(key);
        this.handle(key);
      }
    }
    if (this.active.size < this.concurrency) this.arm(next);
  }

  private handle(key: Key): void {
    this.active.add(key);
    const settle = () => {
      this.running.delete(run);
      this.active.delete(key);
      const again = this.again.get(key);
      if (again !== undefined) {
        this.again.delete(key);
        const lane = this.laneOf(key);
        if (!this.stopped) lane.set(key, Math.min(again, lane.get(key) ?? again));
      }
      this.pump();
    };
    const run: Promise<void> = this.options
      .worker(key)
      .catch((err: unknown) => this.options.onError?.(key, err))
      .finally(settle);
    this.running.add(run);
  }

  private laneOf(key: Key): Map<Key, number> {
    const index = Math.max(0, Math.floor(this.options.lane?.(key) ?? 0));
    let lane = this.lanes[index];
    if (lane === undefined) {
      lane = new Map();
      this.lanes[index] = lane;
    }
    return lane;
  }

  private arm(at: number): void {
    if (at === Number.POSITIVE_INFINITY || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, at - this.now()));
  }
}
