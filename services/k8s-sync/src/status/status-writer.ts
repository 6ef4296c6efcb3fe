import type { CustomObjectsApi } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { Logger } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';
import { WriteSchedule, type ScheduleEntry, type StatusKind, type WriteJob } from './write-schedule';
import { WriterMetrics } from './writer-metrics';

export type { StatusKind } from './write-schedule';

/** Resource plural of each kind, as the CRDs name them. */
export const STATUS_PLURALS: Readonly<Record<StatusKind, string>> = { Device: 'devices', Application: 'applications', Gateway: 'gateways' };

export interface StatusWriterOptions {
  readonly customObjects: CustomObjectsApi;
  /** Default 'wasmbed.github.io'. */
  readonly group?: string;
  /** Default 'v1'. */
  readonly version?: string;
  readonly namespace: string;
  /** At most one write per object per interval; default 5000. */
  readonly minIntervalMs?: number;
  /** Writes under way at once; default 8. */
  readonly maxInFlight?: number;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Clock in ms; default Date.now. */
  readonly now?: () => number;
}

/** Totals since the writer started (the same figures as the metrics, for benchmarks and tests). */
export interface StatusWriterStats {
  readonly writes: number;
  readonly skippedUnchanged: number;
  readonly coalesced: number;
  readonly errors: number;
  readonly notFound: number;
  readonly largestBytes: number;
  readonly bytesWritten: number;
  readonly pending: number;
  readonly inFlight: number;
}

/** The HTTP status of an @kubernetes/client-node ApiException, or undefined (transport failure). */
export function httpStatusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Writes Device, Application and Gateway statuses through the status subresource,
 * coalesced: the first status of an object at once, then at most one write per object per
 * `minIntervalMs` (the latest value wins), nothing when the value equals the last written.
 * Each write replaces the whole status (JSON Patch `add /status`), so a field the
 * projection drops disappears and no resourceVersion is needed. 404 forgets the object,
 * anything else is retried with a back-off; at most `maxInFlight` writes at once.
 */
export class StatusWriter {
  private readonly schedule: WriteSchedule;
  private readonly metrics: WriterMetrics;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  private readonly group: string;
  private readonly version: string;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly largestByKind = new Map<StatusKind, number>();
  private readonly totals = { writes: 0, skippedUnchanged: 0, coalesced: 0, errors: 0, notFound: 0, largestBytes: 0, bytesWritten: 0 };

  constructor(private readonly options: StatusWriterOptions) {
    this.schedule = new WriteSchedule(options.minIntervalMs ?? 5_000);
    this.now = options.now ?? Date.now;
    this.maxInFlight = options.maxInFlight ?? 8;
    this.group = options.group ?? 'wasmbed.github.io';
    this.version = options.version ?? 'v1';
    this.metrics = new WriterMetrics(options.registry, { pending: () => this.schedule.pending, inFlight: () => this.schedule.inFlight });
  }

  /** The status an object should have now. Ignored after stop(). */
  set(kind: StatusKind, name: string, status: object): void {
    if (this.stopped) return;
    const outcome = this.schedule.offer(kind, name, status, this.now());
    if (outcome === 'unchanged') {
      this.totals.skippedUnchanged += 1;
      this.metrics.skippedUnchanged.inc({ kind });
    } else if (outcome === 'coalesced') {
      this.totals.coalesced += 1;
      this.metrics.coalesced.inc({ kind });
    } else {
      this.pump();
    }
  }

  /**
   * The status the apiserver holds for an object (from a list or watch): a later set() of
   * the same value writes nothing, and its conditions keep their transition times.
   */
  observe(kind: StatusKind, name: string, status: object): void {
    this.schedule.observe(kind, name, status);
  }

  /** The object was deleted (or is not ours any more): drop its pending write and memory. */
  forget(kind: StatusKind, name: string): void {
    this.schedule.forget(kind, name);
  }

  /** Writes every pending status now (interval and back-off ignored once); resolves when each was tried. */
  async flush(): Promise<void> {
    this.schedule.expedite(this.now());
    this.pump();
    await this.idle();
  }

  /** Stops writing; with `flush` (default) the pending statuses are tried once first. */
  async stop(options: { flush?: boolean } = {}): Promise<void> {
    if (options.flush ?? true) await this.flush();
    this.stopped = true;
    this.clearTimer();
    await this.idle();
  }

  stats(): StatusWriterStats {
    return { ...this.totals, pending: this.schedule.pending, inFlight: this.schedule.inFlight };
  }

  private pump(): void {
    if (this.stopped) {
      this.notifyIdle();
      return;
    }
    const now = this.now();
    const free = this.maxInFlight - this.schedule.inFlight;
    if (free > 0) for (const job of this.schedule.take(now, free)) void this.write(job);
    this.arm();
    this.notifyIdle();
  }

  private arm(): void {
    if (this.schedule.inFlight >= this.maxInFlight) return; // a completion pumps again
    const at = this.schedule.nextDueAt();
    if (at === undefined || at >= this.timerAt) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, at - this.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private async write(job: WriteJob): Promise<void> {
    const { entry } = job;
    const kind = entry.kind;
    const stopTimer = this.metrics.writeSeconds.startTimer({ kind });
    try {
      await this.options.customObjects.patchNamespacedCustomObjectStatus({
        group: this.group,
        version: this.version,
        namespace: this.options.namespace,
        plural: STATUS_PLURALS[kind],
        name: entry.name,
        // The client's default patch type for this call is JSON Patch.
        body: [{ op: 'add', path: '/status', value: job.status }],
      });
      stopTimer();
      this.schedule.succeeded(entry, this.now());
      this.recordWrite(kind, Buffer.byteLength(job.json));
    } catch (err) {
      this.failed(entry, err);
    } finally {
      this.pump();
    }
  }

  private recordWrite(kind: StatusKind, bytes: number): void {
    this.totals.writes += 1;
    this.totals.bytesWritten += bytes;
    this.metrics.writes.inc({ kind });
    this.totals.largestBytes = Math.max(this.totals.largestBytes, bytes);
    if (bytes > (this.largestByKind.get(kind) ?? 0)) {
      this.largestByKind.set(kind, bytes);
      this.metrics.largestBytes.set({ kind }, bytes);
    }
  }

  private failed(entry: ScheduleEntry, err: unknown): void {
    const status = httpStatusOf(err);
    const kind = entry.kind;
    this.totals.errors += 1;
    if (status === 404) {
      this.totals.notFound += 1;
      this.metrics.errors.inc({ kind, reason: 'not_found' });
      this.schedule.gone(entry);
      this.options.logger.debug('status target is gone; forgotten', { kind, name: entry.name });
      return;
    }
    this.metrics.errors.inc({ kind, reason: status === undefined ? 'transport' : `http_${status}` });
    this.schedule.failed(entry, this.now());
    const fields = { kind, name: entry.name, status, failures: entry.failures, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
    // One warning per failing object; its further retries are debug.
    if (entry.failures === 1) this.options.logger.warn('status write failed; retrying with back-off', fields);
    else this.options.logger.debug('status write failed again', fields);
  }

  private idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.schedule.inFlight === 0 && (this.stopped || !this.schedule.hasDue(this.now()));
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
