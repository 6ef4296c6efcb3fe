import type { DomainEvent, EventStore, RecordedEvent, Subscription } from '@wasmbed/event-log';
import type { Logger } from '@wasmbed/service-kit';

export interface LogFollowerOptions<E extends DomainEvent> {
  readonly store: EventStore;
  readonly context: string;
  /** Folds one event (in log order); `live` is false while replaying up to the head seen at start. */
  readonly apply: (event: RecordedEvent<E>, live: boolean) => void;
  /** After each commit is folded. */
  readonly committed?: (live: boolean) => void;
  readonly logger: Logger;
  /** Pause before following again after the subscription failed (default 1 s). */
  readonly resubscribeMs?: number;
}

/**
 * Replays one context log up to its head, then follows it, from the position
 * it got to after a failure. `start` resolves once the replay is done.
 */
export class LogFollower<E extends DomainEvent> {
  private subscription?: Subscription;
  private stopped = false;
  private lastPosition = 0;
  private replayUntil = 0;
  private replayed?: () => void;

  private constructor(private readonly options: LogFollowerOptions<E>) {}

  static async start<E extends DomainEvent>(options: LogFollowerOptions<E>): Promise<LogFollower<E>> {
    const follower = new LogFollower(options);
    follower.replayUntil = await options.store.headPosition(options.context);
    const replayed = new Promise<void>((resolve) => (follower.replayed = resolve));
    if (follower.replayUntil === 0) follower.replayed?.();
    await follower.subscribe();
    await replayed;
    return follower;
  }

  /** Following the log now (false after a failure until it resumed, and after stop). */
  get live(): boolean {
    return this.subscription !== undefined && !this.stopped;
  }

  get position(): number {
    return this.lastPosition;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
  }

  private async subscribe(): Promise<void> {
    const { store, context, logger } = this.options;
    this.subscription = await store.subscribe<E>({
      context,
      afterPosition: this.lastPosition,
      onCommit: async (events) => this.fold(events),
      onError: (err) => {
        this.subscription = undefined;
        if (this.stopped) return;
        logger.warn('log subscription failed; following again shortly', { context, position: this.lastPosition, error: err });
        this.retryLater();
      },
    });
  }

  private retryLater(): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.subscribe().catch((err: unknown) => {
        this.options.logger.warn('following the log again failed; retrying', { context: this.options.context, error: err });
        this.retryLater();
      });
    }, this.options.resubscribeMs ?? 1_000).unref();
  }

  private fold(events: RecordedEvent<E>[]): void {
    const position = events[0]?.position ?? 0;
    const live = position > this.replayUntil;
    for (const event of events) this.options.apply(event, live);
    this.lastPosition = Math.max(this.lastPosition, position);
    if (this.lastPosition >= this.replayUntil && this.replayed !== undefined) {
      this.replayed();
      this.replayed = undefined;
    }
    this.options.committed?.(live);
  }
}
