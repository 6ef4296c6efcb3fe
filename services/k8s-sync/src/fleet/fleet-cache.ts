import { status } from '@grpc/grpc-js';
import { ChangeKind } from '@wasmbed/proto';
import type { Logger } from '@wasmbed/service-kit';
import type { SyncKind } from '../resources';
import type { FleetOf } from '../rules/kind-rules';
import { Backoff } from '../backoff';
import type { FleetApi, ServerStream } from './api-client';
import type { FleetChange, FleetSource } from './sources';

/** Items of one watch session, and the names it saw deleted (at which position). */
class Session<T> {
  readonly items = new Map<string, T>();
  readonly deleted = new Map<string, number>();
  listed = false;
}

export interface FleetCacheOptions<K extends SyncKind> {
  readonly source: FleetSource<K>;
  readonly api: FleetApi;
  readonly logger: Logger;
  /** Called with each name whose read model may have changed. */
  readonly onChange: (kind: K, name: string) => void;
  readonly onRestart?: (kind: K) => void;
}

const versionOf = (item: { version: number }): number => item.version;
const nameOf = (item: { name: string }): string => item.name;

/**
 * The api's read model of one kind, kept current by its Watch* stream. A watch announces
 * no end of its initial state, so each (re)connection also lists the kind: the cache
 * counts as synced once that list is merged in (an item the watch already has in a newer
 * version, or saw deleted later, is not taken from the list). Until then the previous
 * session's items are served. Reconnects with back-off; nothing a watch missed is lost,
 * since every session starts from the current state.
 */
export class FleetCache<K extends SyncKind> {
  private served = new Map<string, FleetOf[K]>();
  private session = new Session<FleetOf[K]>();
  private stream: ServerStream<unknown> | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff(250, 30_000);
  private isSynced = false;

  constructor(private readonly options: FleetCacheOptions<K>) {}

  get kind(): K {
    return this.options.source.kind;
  }

  get synced(): boolean {
    return this.isSynced;
  }

  get size(): number {
    return this.served.size;
  }

  get(name: string): FleetOf[K] | undefined {
    return this.served.get(name);
  }

  names(): string[] {
    return [...this.served.keys()];
  }

  values(): IterableIterator<FleetOf[K]> {
    return this.served.values();
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.stream?.cancel();
  }

  /** A fresh read (e.g. a Get* after a command): taken unless the cache already has something newer. */
  put(name: string, item: FleetOf[K] | undefined): void {
    const current = this.served.get(name);
    if (item === undefined) {
      if (current === undefined) return;
      this.served.delete(name);
    } else {
      if (current !== undefined && versionOf(current) > versionOf(item)) return;
      this.served.set(name, item);
    }
    this.options.onChange(this.kind, name);
  }

  /**
   * Lists the kind again and merges it in: brings what a watch does not push (a device's
   * applications change with no device event) without reconnecting.
   */
  async refresh(): Promise<void> {
    for (const item of await this.listAll()) {
      const current = this.served.get(nameOf(item));
      if (current !== undefined && versionOf(current) > versionOf(item)) continue;
      this.served.set(nameOf(item), item);
      this.options.onChange(this.kind, nameOf(item));
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const session = new Session<FleetOf[K]>();
    this.session = session;
    const { stream, changeOf } = this.options.source.watch(this.options.api);
    this.stream = stream;
    let ended = false;
    const reconnect = (reason: string, err?: unknown) => {
      if (ended) return;
      ended = true;
      if (this.stopped) return;
      this.isSynced = false;
      this.options.onRestart?.(this.kind);
      // One warning per outage; the retries after it are debug.
      const level = this.backoff.attempts === 0 ? 'warn' : 'debug';
      const delay = this.backoff.next();
      this.options.logger[level]('fleet watch ended; reconnecting', { kind: this.kind, reason, delayMs: delay, error: err instanceof Error ? err.message : undefined });
      this.retry = setTimeout(() => this.connect(), delay);
    };
    stream.on('data', (message: unknown) => this.apply(session, changeOf(message)));
    stream.on('error', (err: { code?: number }) => reconnect(err.code === status.CANCELLED ? 'cancelled' : 'error', err));
    stream.on('end', () => reconnect('ended'));
    void this.listInto(session).catch((err: unknown) => {
      if (this.session !== session) return;
      stream.cancel();
      reconnect('list failed', err);
    });
  }

  private apply(session: Session<FleetOf[K]>, change: FleetChange<FleetOf[K]>): void {
    if (session !== this.session || change.item === undefined) return;
    const name = nameOf(change.item);
    const target = session.listed ? this.served : session.items;
    if (change.kind === ChangeKind.CHANGE_KIND_DELETED) {
      target.delete(name);
      session.deleted.set(name, change.position);
    } else {
      const current = target.get(name);
      if (current !== undefined && versionOf(current) > versionOf(change.item)) return;
      target.set(name, change.item);
    }
    if (session.listed) this.options.onChange(this.kind, name);
  }

  private async listInto(session: Session<FleetOf[K]>): Promise<void> {
    const listed = await this.listAll();
    if (session !== this.session) return;
    for (const item of listed) {
      const name = nameOf(item);
      const current = session.items.get(name);
      if (current !== undefined && versionOf(current) >= versionOf(item)) continue;
      const deletedAt = session.deleted.get(name);
      if (current === undefined && deletedAt !== undefined && deletedAt >= versionOf(item)) continue;
      session.items.set(name, item);
    }
    const before = this.served;
    this.served = session.items;
    session.listed = true;
    this.isSynced = true;
    this.backoff.reset();
    for (const name of new Set([...before.keys(), ...this.served.keys()])) this.options.onChange(this.kind, name);
  }

  private async listAll(): Promise<FleetOf[K][]> {
    const items: FleetOf[K][] = [];
    let pageToken = '';
    do {
      const page = await this.options.source.list(this.options.api, pageToken);
      items.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    return items;
  }
}
