import { ValidationError } from '@wasmbed/errors';
import type { DomainEvent, EventStore, RecordedEvent, Subscription } from '@wasmbed/event-log';
import { Registry } from 'prom-client';
import { CommitDocuments } from './commit-documents';
import type { DocumentStore } from './document-store';
import { PositionWaitTimeoutError, ProjectionFailedError, ProjectionStoppedError } from './errors';
import { LagReservoir, type LagSummary } from './lag-reservoir';
import { consoleLogger, type Logger } from './logger';
import { PositionWaiters } from './position-waiters';
import { defineProjection, type Projection } from './projection';
import { ProjectionMetrics } from './projection-metrics';
import {
  errorInfo,
  lagEvents,
  projectionStatus,
  type ProjectionErrorInfo,
  type ProjectionStatus,
} from './projection-status';
import { SerialQueue } from './serial-queue';
import { assertPosition } from './validation';

export interface ProjectionRunnerOptions<E extends DomainEvent = DomainEvent> {
  readonly projection: Projection<E>;
  readonly eventStore: EventStore;
  /** Where the read model and its checkpoints live (KvDocumentStore or MemoryDocumentStore). */
  readonly store: DocumentStore;
  /** Metrics go here; pass the service's registry so one /metrics shows everything. Default: a new one. */
  readonly registry?: Registry;
  readonly logger?: Logger;
  /** How often context heads are re-read for lag while started (ms). Default 2000. */
  readonly headRefreshMs?: number;
  /** Samples kept for lagPercentiles(). Default 10 000. */
  readonly lagSampleSize?: number;
}

interface ContextRun {
  checkpoint: number;
  head: number;
  /** Head seen at start; reaching it ends the replay ('catching_up' → 'live'). */
  catchUpTarget: number;
  caughtUp: boolean;
  subscription?: Subscription;
}

/**
 * Keeps one projection's read model up to date: one subscription per context,
 * resumed after the stored checkpoint. A commit is applied, then checkpointed;
 * nothing is acknowledged before its writes are done. Redelivered commits are
 * harmless (see CommitDocuments). Any error stops the projection in 'failed'
 * with the checkpoint where it was: it never skips a commit.
 */
export class ProjectionRunner<E extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly store: DocumentStore;
  readonly registry: Registry;

  readonly #projection: Projection<E>;
  readonly #eventStore: EventStore;
  readonly #logger: Logger;
  readonly #metrics: ProjectionMetrics;
  readonly #lag: LagReservoir;
  readonly #headRefreshMs: number;
  readonly #eventTypes?: ReadonlySet<string>;
  readonly #contexts = new Map<string, ContextRun>();
  readonly #waiters = new PositionWaiters();
  // Commits of all contexts are applied one at a time: handlers may touch the same documents.
  readonly #commits = new SerialQueue();
  // start/stop/rebuild never overlap.
  readonly #lifecycle = new SerialQueue();
  #running = false;
  #failure?: ProjectionErrorInfo;
  // Bumped on every start and stop, so late callbacks of an old subscription are ignored.
  #generation = 0;
  #headTimer?: NodeJS.Timeout;

  constructor(options: ProjectionRunnerOptions<E>) {
    this.#projection = defineProjection(options.projection);
    this.name = options.projection.name;
    this.store = options.store;
    this.registry = options.registry ?? new Registry();
    this.#eventStore = options.eventStore;
    this.#logger = options.logger ?? consoleLogger;
    this.#metrics = new ProjectionMetrics(this.registry, this.name);
    this.#lag = new LagReservoir(options.lagSampleSize);
    this.#headRefreshMs = options.headRefreshMs ?? 2_000;
    this.#eventTypes = options.projection.eventTypes && new Set(options.projection.eventTypes);
    for (const context of this.#projection.contexts) {
      this.#contexts.set(context, { checkpoint: 0, head: 0, catchUpTarget: 0, caughtUp: false });
    }
  }

  /** Resumes from the stored checkpoints. Also the way to retry after a failure (once the cause is fixed). */
  start(): Promise<void> {
    return this.#lifecycle.run(async () => {
      if (this.#running && !this.#failure) return;
      if (this.#running) await this.#halt();
      await this.#start();
    });
  }

  /** Stops following the logs; callers in waitForPosition are rejected. */
  stop(): Promise<void> {
    return this.#lifecycle.run(async () => {
      await this.#halt();
      this.#waiters.rejectAll(new ProjectionStoppedError(this.name));
    });
  }

  /**
   * Stops, wipes every document and checkpoint, then replays every context from
   * position 0 and stays live. Readers see a partial model until it caught up;
   * waitForPosition callers keep waiting and are served by the replay.
   */
  rebuild(): Promise<void> {
    return this.#lifecycle.run(async () => {
      await this.#halt();
      await this.store.wipe();
      this.#logger.info({ projection: this.name }, 'projection wiped; replaying from position 0');
      await this.#start();
    });
  }

  /** Resolves once the context's commit at `position` (or a later one) is applied. */
  async waitForPosition(context: string, position: number, timeoutMs: number): Promise<void> {
    const run = this.#context(context);
    assertPosition('position', position);
    assertPosition('timeoutMs', timeoutMs);
    if (this.#failure) throw this.#failedError();
    if (run.checkpoint >= position) return;
    return this.#waiters.wait(context, position, timeoutMs, () =>
      new PositionWaitTimeoutError(this.name, context, position, run.checkpoint, timeoutMs),
    );
  }

  /** Last applied position of a context, as known in memory. */
  checkpoint(context: string): number {
    return this.#context(context).checkpoint;
  }

  /** One entry per context, with heads read fresh from the event store. */
  async status(): Promise<ProjectionStatus[]> {
    await this.#refreshHeads();
    const runner = { running: this.#running, failure: this.#failure };
    return [...this.#contexts].map(([context, run]) => projectionStatus(this.name, context, runner, run));
  }

  /** Percentiles of store-to-applied lag (seconds) since the last reset, from a uniform sample. */
  lagPercentiles(): LagSummary {
    return this.#lag.summary();
  }

  resetLagPercentiles(): void {
    this.#lag.reset();
  }

  async #start(): Promise<void> {
    const generation = ++this.#generation;
    this.#failure = undefined;
    this.#running = true;
    try {
      for (const [context, run] of this.#contexts) {
        run.checkpoint = await this.store.getCheckpoint(context);
        run.catchUpTarget = await this.#eventStore.headPosition(context);
        run.head = Math.max(run.catchUpTarget, run.checkpoint);
        run.caughtUp = run.checkpoint >= run.catchUpTarget;
        this.#progressed(context, run);
      }
      for (const [context, run] of this.#contexts) {
        run.subscription = await this.#eventStore.subscribe<E>({
          context,
          afterPosition: run.checkpoint,
          onCommit: (events) => this.#onCommit(generation, context, events),
          onError: (err) => this.#fail(generation, context, undefined, err),
        });
      }
      // A decode error may have failed the run while later contexts were still subscribing.
      if (this.#failure) await this.#closeSubscriptions();
    } catch (err) {
      await this.#halt();
      throw err;
    }
    this.#headTimer = setInterval(() => void this.#refreshHeads(), this.#headRefreshMs);
    this.#headTimer.unref();
    this.#logger.info(
      { projection: this.name, checkpoints: Object.fromEntries([...this.#contexts].map(([c, r]) => [c, r.checkpoint])) },
      'projection started',
    );
  }

  /** Ends subscriptions and waits for the commit in progress; keeps a failure visible. */
  async #halt(): Promise<void> {
    this.#generation += 1;
    this.#running = false;
    clearInterval(this.#headTimer);
    this.#headTimer = undefined;
    await this.#closeSubscriptions();
    await this.#commits.idle();
  }

  async #closeSubscriptions(): Promise<void> {
    await Promise.all(
      [...this.#contexts].map(async ([context, run]) => {
        const subscription = run.subscription;
        run.subscription = undefined;
        try {
          await subscription?.stop();
        } catch (err) {
          this.#logger.warn({ projection: this.name, context, err }, 'stopping a subscription failed');
        }
      }),
    );
  }

  #onCommit(generation: number, context: string, events: RecordedEvent<E>[]): Promise<void> {
    // Resolving (not throwing) for a stale or failed run is deliberate: the
    // checkpoint did not move, so these commits come again on the next start.
    return this.#commits.run(async () => {
      if (generation !== this.#generation || this.#failure || events.length === 0) return;
      const run = this.#context(context);
      const position = events[0]!.position;
      if (position <= run.checkpoint) return; // redelivered, already recorded
      let handled: number;
      let skippedWrites: number;
      try {
        ({ handled, skippedWrites } = await this.#apply(context, events));
        await this.store.setCheckpoint(context, position);
      } catch (err) {
        this.#fail(generation, context, position, err);
        return;
      }
      run.checkpoint = position;
      run.head = Math.max(run.head, position);
      run.caughtUp ||= position >= run.catchUpTarget;
      const lagSeconds = Math.max(0, (Date.now() - Date.parse(events[0]!.storedAt)) / 1000);
      for (let i = 0; i < handled; i += 1) this.#lag.record(lagSeconds);
      this.#metrics.applied(handled, lagSeconds, skippedWrites);
      this.#progressed(context, run);
    });
  }

  async #apply(context: string, events: RecordedEvent<E>[]): Promise<{ handled: number; skippedWrites: number }> {
    const documents = new CommitDocuments(this.store, context);
    let handled = 0;
    for (const event of events) {
      if (this.#eventTypes && !this.#eventTypes.has(event.type)) continue;
      await this.#projection.handle(event, documents.forEvent({ position: event.position, index: event.indexInCommit }));
      handled += 1;
    }
    return { handled, skippedWrites: documents.skippedWrites };
  }

  #fail(generation: number, context: string, position: number | undefined, err: unknown): void {
    if (generation !== this.#generation || this.#failure) return;
    this.#failure = errorInfo(err, context, position, new Date());
    this.#metrics.failed();
    const run = this.#context(context);
    this.#logger.error(
      { projection: this.name, context, position, checkpoint: run.checkpoint, err },
      'projection failed and stopped; checkpoint not advanced. Fix the cause and start() (restart the service), or rebuild()',
    );
    this.#waiters.rejectAll(this.#failedError(err));
    // Not awaited: this may run inside a commit callback that stop() would wait for.
    void this.#closeSubscriptions();
  }

  #failedError(cause: unknown = this.#failure?.message): ProjectionFailedError {
    return new ProjectionFailedError(this.name, this.#failure?.context ?? '?', cause);
  }

  #progressed(context: string, run: ContextRun): void {
    this.#metrics.progress(context, run.checkpoint, lagEvents(run.head, run.checkpoint));
    this.#waiters.advance(context, run.checkpoint);
  }

  async #refreshHeads(): Promise<void> {
    await Promise.all(
      [...this.#contexts].map(async ([context, run]) => {
        try {
          run.head = Math.max(await this.#eventStore.headPosition(context), run.checkpoint);
        } catch (err) {
          this.#logger.warn({ projection: this.name, context, err }, 'reading the context head failed');
          return;
        }
        // Also ends 'catching_up' when the log's last positions carried no commit for us.
        run.caughtUp ||= this.#running && run.checkpoint >= run.head;
        this.#metrics.progress(context, run.checkpoint, lagEvents(run.head, run.checkpoint));
      }),
    );
  }

  #context(context: string): ContextRun {
    const run = this.#contexts.get(context);
    if (!run) {
      throw new ValidationError(`projection ${this.name} does not read context ${JSON.stringify(context)}`, [
        'context: unknown',
      ]);
    }
    return run;
  }
}
