import type { EventStore, Subscription } from '@wasmbed/event-log';
import type { Logger } from '@wasmbed/service-kit';
import { FleetState, type FleetEvent } from './fleet-state';
import { retryLater } from './retry-later';

const RESUBSCRIBE_MS = 1_000;
const POSITION_POLL_MS = 10;

/**
 * Follows the fleet log (devices and gateways) from its start into a FleetState,
 * resuming after a failed subscription where it stopped. Reports whether it has
 * caught up with the head it saw at start: before that, the state is a past one.
 */
export class FleetView {
  readonly state = new FleetState();
  private subscription?: Subscription;
  private stopped = false;
  private readonly startHead: number;

  private constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
    startHead: number,
  ) {
    this.startHead = startHead;
  }

  /** Starts following; does not wait for the replay (see `caughtUp`). */
  static async start(store: EventStore, logger: Logger): Promise<FleetView> {
    const view = new FleetView(store, logger, await store.headPosition('fleet'));
    await view.subscribe();
    return view;
  }

  get caughtUp(): boolean {
    return this.state.position >= this.startHead;
  }

  /** Subscribed right now (false after a failure until it resumed). */
  get following(): boolean {
    return this.subscription !== undefined && !this.stopped;
  }

  /** Resolves true once the commit at `position` is folded in, false after `timeoutMs`. */
  async waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.state.position < position) {
      if (this.stopped || Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POSITION_POLL_MS));
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
  }

  private async subscribe(): Promise<void> {
    this.subscription = await this.store.subscribe<FleetEvent>({
      context: 'fleet',
      afterPosition: this.state.position,
      onCommit: async (events) => {
        for (const event of events) this.state.apply(event);
      },
      onError: (err) => {
        this.subscription = undefined;
        if (this.stopped) return;
        this.logger.warn('fleet log subscription failed; resuming', { error: err, position: this.state.position });
        retryLater('resuming the fleet log subscription', () => this.subscribe(), { delayMs: RESUBSCRIBE_MS, stopped: () => this.stopped, logger: this.logger });
      },
    });
  }
}
