import type { LivenessRecord, LivenessStore, LivenessWatch } from '@wasmbed/device-bus';
import type { Logger } from '@wasmbed/service-kit';
import { retryLater } from './retry-later';

const REWATCH_MS = 1_000;

/**
 * The latest liveness record seen per device, from a watch on the bucket. A removed
 * record is kept as last seen: the gateway removes it after closing the session in
 * the log, and if that close never made it, the last heartbeat is still the best
 * evidence. `observingSince` restarts whenever the watch (re)starts or NATS
 * reconnects: updates may have been missed before that.
 */
export class LivenessView {
  private readonly latest = new Map<string, LivenessRecord>();
  private watch?: LivenessWatch;
  private stopped = false;
  private since: number;

  private constructor(
    private readonly store: LivenessStore,
    private readonly logger: Logger,
    private readonly clock: () => number,
  ) {
    this.since = clock();
  }

  static async start(store: LivenessStore, logger: Logger, clock: () => number): Promise<LivenessView> {
    const view = new LivenessView(store, logger, clock);
    await view.startWatch();
    return view;
  }

  get records(): ReadonlyMap<string, LivenessRecord> {
    return this.latest;
  }

  get watching(): boolean {
    return this.watch !== undefined && !this.stopped;
  }

  /** Epoch ms since which the bucket has been watched without a known gap. */
  get observingSince(): number {
    return this.since;
  }

  /** Something may have been missed (e.g. NATS reconnected): silence counts again only from now. */
  restartObservation(): void {
    this.since = this.clock();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watch?.stop();
  }

  private async startWatch(): Promise<void> {
    const watch = await this.store.watch(
      ({ deviceId, record }) => {
        if (record !== undefined) this.latest.set(deviceId, record);
      },
      (err) => this.logger.warn('ignoring an invalid liveness record', { error: err }),
    );
    this.watch = watch;
    this.restartObservation();
    const ended = (err?: unknown) => {
      this.watch = undefined;
      if (this.stopped) return;
      this.logger.warn('liveness watch ended; watching again', err === undefined ? {} : { error: err });
      retryLater('watching the liveness bucket', () => this.startWatch(), { delayMs: REWATCH_MS, stopped: () => this.stopped, logger: this.logger });
    };
    watch.closed.then(() => ended(), ended);
  }
}
