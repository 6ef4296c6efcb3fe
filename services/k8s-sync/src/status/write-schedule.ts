import { canonicalJson } from './canonical-json';
import { conditionsOf, keepTransitionTimes } from './conditions';
import { DueQueue } from './due-queue';

export type StatusKind = 'Device' | 'Application' | 'Gateway';

interface Value {
  readonly status: object;
  readonly json: string;
}

/** One object's write state. Identity matters: a forgotten entry's late completion is ignored. */
export interface ScheduleEntry {
  readonly kind: StatusKind;
  readonly name: string;
  /** What the apiserver holds, as far as we know. */
  written?: Value;
  /** The latest value not written yet (latest wins). */
  pending?: Value;
  inFlight?: Value;
  /** Start of the last write attempt (ms): the next one waits minIntervalMs from there. */
  lastAttemptAt?: number;
  /** Back-off after a failed write. */
  retryAt?: number;
  failures: number;
  /** The due time of this entry's live item in the queue (older items are stale). */
  queuedAt?: number;
}

export interface WriteJob {
  readonly entry: ScheduleEntry;
  readonly status: object;
  readonly json: string;
}

export type OfferOutcome = 'queued' | 'coalesced' | 'unchanged';

const RETRY_INITIAL_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * When each object's status is written: the first write of an object at once, then at
 * most one per `minIntervalMs` (latest value wins), nothing when the value equals what was
 * last written, failed writes again after a back-off. Pure bookkeeping: time is passed in,
 * the StatusWriter does the I/O.
 */
export class WriteSchedule {
  private readonly entries = new Map<string, ScheduleEntry>();
  private readonly queue = new DueQueue<ScheduleEntry>();
  private inFlightCount = 0;

  constructor(private readonly minIntervalMs: number) {}

  get pending(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.pending) n += 1;
    return n;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** The status to write for an object; conditions keep their transition times from the latest known value. */
  offer(kind: StatusKind, name: string, status: object, now: number): OfferOutcome {
    const entry = this.entryOf(kind, name);
    const latest = entry.pending ?? entry.inFlight ?? entry.written;
    const next = this.carryConditions(latest?.status, status);
    const json = canonicalJson(next);
    if (entry.pending) {
      if (json === entry.pending.json) return 'unchanged';
      // Back to what is (being) written: the queued write is not needed any more.
      entry.pending = json === (entry.inFlight ?? entry.written)?.json ? undefined : { status: next, json };
      return 'coalesced';
    }
    if (json === latest?.json) return 'unchanged';
    entry.pending = { status: next, json };
    this.enqueue(entry, now);
    return 'queued';
  }

  /** What the apiserver is known to hold (e.g. from a list or watch): equal values are never written. */
  observe(kind: StatusKind, name: string, status: object): void {
    const entry = this.entryOf(kind, name);
    const json = canonicalJson(status);
    entry.written = { status, json };
    if (entry.pending?.json === json) entry.pending = undefined;
  }

  forget(kind: StatusKind, name: string): void {
    this.entries.delete(keyOf(kind, name));
  }

  /** Takes up to `limit` writes due at `now`, marking them in flight. */
  take(now: number, limit: number): WriteJob[] {
    const jobs: WriteJob[] = [];
    while (jobs.length < limit) {
      const top = this.queue.peek();
      if (!top || top.at > now) break;
      this.queue.pop();
      const entry = top.item;
      if (!this.isLive(entry, top.at) || !entry.pending) continue;
      entry.queuedAt = undefined;
      entry.inFlight = entry.pending;
      entry.pending = undefined;
      entry.lastAttemptAt = now;
      this.inFlightCount += 1;
      jobs.push({ entry, status: entry.inFlight.status, json: entry.inFlight.json });
    }
    return jobs;
  }

  /** When the next write falls due, or undefined when nothing waits. */
  nextDueAt(): number | undefined {
    for (let top = this.queue.peek(); top; top = this.queue.peek()) {
      if (this.isLive(top.item, top.at) && top.item.pending) return top.at;
      this.queue.pop();
    }
    return undefined;
  }

  succeeded(entry: ScheduleEntry, now: number): void {
    this.settle(entry);
    entry.written = entry.inFlight;
    entry.inFlight = undefined;
    entry.failures = 0;
    entry.retryAt = undefined;
    if (entry.pending?.json === entry.written?.json) entry.pending = undefined;
    if (entry.pending) this.enqueue(entry, now);
  }

  /** The write failed: it is tried again (unless a newer value replaced it) after a back-off. */
  failed(entry: ScheduleEntry, now: number): void {
    this.settle(entry);
    entry.failures += 1;
    entry.retryAt = now + Math.min(RETRY_INITIAL_MS * 2 ** (entry.failures - 1), RETRY_MAX_MS);
    entry.pending ??= entry.inFlight;
    entry.inFlight = undefined;
    if (entry.pending) this.enqueue(entry, now);
  }

  /** The object is gone (404): drop everything known about it. */
  gone(entry: ScheduleEntry): void {
    this.settle(entry);
    if (this.entries.get(keyOf(entry.kind, entry.name)) === entry) this.entries.delete(keyOf(entry.kind, entry.name));
  }

  /** Makes every pending write not in flight due at `now`, ignoring interval and back-off (flush). */
  expedite(now: number): void {
    for (const entry of this.entries.values()) {
      if (entry.pending && !entry.inFlight && (entry.queuedAt === undefined || entry.queuedAt > now)) this.push(entry, now);
    }
  }

  /** Whether any write is due at `now` (flush waits until none is, and nothing is in flight). */
  hasDue(now: number): boolean {
    const at = this.nextDueAt();
    return at !== undefined && at <= now;
  }

  private settle(entry: ScheduleEntry): void {
    if (entry.inFlight) this.inFlightCount -= 1;
  }

  private entryOf(kind: StatusKind, name: string): ScheduleEntry {
    const key = keyOf(kind, name);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { kind, name, failures: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private isLive(entry: ScheduleEntry, at: number): boolean {
    return entry.queuedAt === at && this.entries.get(keyOf(entry.kind, entry.name)) === entry;
  }

  // An entry in flight is queued again by its completion.
  private enqueue(entry: ScheduleEntry, now: number): void {
    if (entry.inFlight) return;
    const byInterval = entry.lastAttemptAt === undefined ? now : entry.lastAttemptAt + this.minIntervalMs;
    const at = Math.max(now, byInterval, entry.retryAt ?? now);
    if (entry.queuedAt !== undefined && entry.queuedAt <= at) return;
    this.push(entry, at);
  }

  private push(entry: ScheduleEntry, at: number): void {
    entry.queuedAt = at;
    this.queue.push(at, entry);
  }

  private carryConditions(previous: object | undefined, next: object): object {
    const before = conditionsOf(previous);
    const after = conditionsOf(next);
    return before && after ? { ...next, conditions: keepTransitionTimes(before, after) } : next;
  }
}

const keyOf = (kind: StatusKind, name: string): string => `${kind}/${name}`;
