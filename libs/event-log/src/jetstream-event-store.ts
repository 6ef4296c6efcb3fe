import {
  jetstream,
  jetstreamManager,
  PubHeaders,
  type JetStreamClient,
  type JetStreamManager,
  type NextMsgRequest,
  type SeqMsgRequest,
  type StoredMsg,
} from '@nats-io/jetstream';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { ConfigError, ValidationError } from '@wasmbed/errors';
import { commitIdFor } from './commit-id';
import { decodeCommit, encodeCommit, pickMetadata, type RawCommit } from './commit-codec';
import { ContextCatalog, type RegistryOption, type ResolvedContext } from './contexts';
import { CommitTooLargeError, EventStoreClosedError, StreamVersionConflict } from './errors';
import { isStreamNotFound, isWrongLastSequence, toStoreError } from './nats-errors';
import { PublishAckMux } from './publish-ack-mux';
import { readCommits } from './read-commits';
import { readStreamCommits, toRawCommit } from './read-stream-commits';
import { streamConfigFor, type LogSettings } from './stream-config';
import { subjectFor } from './subjects';
import { startSubscription } from './subscription';
import type {
  AppendOptions,
  AppendResult,
  BoundedContext,
  DomainEvent,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamResult,
  RecordedEvent,
  StreamRef,
  SubscribeOptions,
  Subscription,
} from './types';
import { expectedSubjectSequence, validateNewEvents } from './validate-commit';

export interface JetStreamEventStoreOptions {
  /** Owned by the caller: close() does not close it. */
  readonly connection: NatsConnection;
  readonly contexts: readonly BoundedContext[];
  /** One registry for all contexts, or `{ [contextName]: registry }`. */
  readonly registry: RegistryOption;
  /** Stream names are `<prefix>_<CONTEXT>`. Default `WASMBED_EVT`. */
  readonly streamNamePrefix?: string;
  /** JetStream replicas per context log. Default 1. */
  readonly replicas?: number;
  /** Largest commit (headers + body). Default and ceiling: the server's max_payload. */
  readonly maxMessageBytes?: number;
  /** Window in which the broker drops a re-sent commit by its id. Default 2 minutes. */
  readonly duplicateWindowMs?: number;
  /** Timeout of each JetStream request. Default 5 s. */
  readonly requestTimeoutMs?: number;
}

export const HEADER_EVENT_TYPES = 'Wasmbed-Event-Types';
export const HEADER_CORRELATION_ID = 'Wasmbed-Correlation-Id';

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

// Exact size of the header block on the wire (NATS/1.0 status line, one line per header, blank line).
function headerBytes(h: MsgHdrs): number {
  let size = 'NATS/1.0\r\n\r\n'.length;
  for (const [key, values] of h) for (const value of values) size += Buffer.byteLength(`${key}: ${value}\r\n`);
  return size;
}

/**
 * EventStore on NATS JetStream: one stream per bounded context, one subject per
 * aggregate, one message per commit. See README.md for the format and guarantees.
 */
export class JetStreamEventStore implements EventStore {
  private readonly catalog: ContextCatalog;
  private readonly settings: LogSettings;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly acks: PublishAckMux,
    options: JetStreamEventStoreOptions,
    serverMaxPayload: number,
  ) {
    this.catalog = new ContextCatalog(options.contexts, options.registry, options.streamNamePrefix ?? 'WASMBED_EVT');
    const issues: string[] = [];
    const replicas = options.replicas ?? 1;
    const duplicateWindowMs = options.duplicateWindowMs ?? 120_000;
    const maxMessageBytes = Math.min(options.maxMessageBytes ?? serverMaxPayload, serverMaxPayload);
    if (!Number.isSafeInteger(replicas) || replicas < 1 || replicas > 5) issues.push('replicas must be an integer in [1, 5]');
    if (!Number.isSafeInteger(duplicateWindowMs) || duplicateWindowMs < 1) issues.push('duplicateWindowMs must be a positive integer');
    if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1) issues.push('maxMessageBytes must be a positive integer');
    if (issues.length > 0) throw new ConfigError('invalid JetStream event store options', issues);
    this.settings = { replicas, duplicateWindowMs, maxMessageBytes };
  }

  /** Connects the JetStream clients; call ensureStreams() before the first append unless the streams are provisioned elsewhere. */
  static async create(options: JetStreamEventStoreOptions): Promise<JetStreamEventStore> {
    const timeout = options.requestTimeoutMs ?? 5_000;
    try {
      const jsm = await jetstreamManager(options.connection, { timeout });
      const js = jetstream(options.connection, { timeout });
      const acks = new PublishAckMux(options.connection, timeout);
      return new JetStreamEventStore(js, jsm, acks, options, options.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD);
    } catch (err) {
      throw toStoreError('create', err);
    }
  }

  /** Creates or updates the stream of every context (idempotent). */
  async ensureStreams(): Promise<void> {
    this.assertOpen();
    for (const ctx of this.catalog.all()) {
      const config = streamConfigFor(ctx, this.settings);
      try {
        const existing = await this.jsm.streams.info(config.name).catch((err: unknown) => {
          if (isStreamNotFound(err)) return undefined;
          throw err;
        });
        if (existing === undefined) {
          await this.jsm.streams.add(config);
          continue;
        }
        if (existing.config.storage !== config.storage || existing.config.retention !== config.retention) {
          throw new ConfigError(`stream ${config.name} exists with storage/retention that cannot be changed`, [
            `storage ${existing.config.storage}, retention ${existing.config.retention}`,
          ]);
        }
        const { name, storage: _storage, retention: _retention, ...updatable } = config;
        await this.jsm.streams.update(name, updatable);
      } catch (err) {
        throw toStoreError('ensureStreams', err);
      }
    }
  }

  async append<E extends DomainEvent>(stream: StreamRef, events: NewEvent<E>[], options: AppendOptions): Promise<AppendResult<E>> {
    this.assertOpen();
    const ctx = this.catalog.contextOf(stream);
    const subject = subjectFor(stream);
    validateNewEvents(stream, events);
    const expected = expectedSubjectSequence(stream, options?.expectedVersion);
    const body = encodeCommit(events, ctx.registry, subject);
    const commitId = commitIdFor(subject, events.map((e) => e.metadata.eventId));

    const h = headers();
    h.set(PubHeaders.MsgIdHdr, commitId);
    if (expected !== undefined) h.set(PubHeaders.ExpectedLastSubjectSequenceHdr, String(expected));
    h.set(HEADER_EVENT_TYPES, events.map((e) => e.event.type).join(','));
    h.set(HEADER_CORRELATION_ID, events[0].metadata.correlationId);
    const size = body.byteLength + headerBytes(h);
    if (size > this.settings.maxMessageBytes) throw new CommitTooLargeError(stream, size, this.settings.maxMessageBytes);

    let ack: { seq: number; duplicate: boolean };
    try {
      ack = await this.acks.publish(subject, body, h);
    } catch (err) {
      if (expected === undefined || !isWrongLastSequence(err)) throw toStoreError('append', err);
      return this.resolveConflict<E>(ctx, stream, subject, commitId, expected);
    }
    if (ack.duplicate) return this.storedCommit<E>(ctx, ack.seq);
    // Built from the input rather than decoded back: encodeCommit already validated
    // every type against the registry, and re-parsing cost more than the publish.
    const storedAt = new Date().toISOString();
    const ref = { aggregateType: stream.aggregateType, aggregateId: stream.aggregateId };
    const recorded = events.map(({ event, metadata }, indexInCommit): RecordedEvent<E> => ({
      stream: ref,
      type: event.type,
      data: event.data,
      schemaVersion: ctx.registry.currentSchemaVersion(event.type) as number,
      metadata: pickMetadata(metadata),
      position: ack.seq,
      indexInCommit,
      commitSize: events.length,
      storedAt,
    }));
    return { position: ack.seq, nextExpectedVersion: ack.seq, duplicate: false, events: recorded };
  }

  /** The result for a commit that was already stored at `position`. */
  private async storedCommit<E extends DomainEvent>(ctx: ResolvedContext, position: number, known?: StoredMsg): Promise<AppendResult<E>> {
    let message = known ?? null;
    try {
      message ??= await this.jsm.streams.getMessage(ctx.streamName, { seq: position });
    } catch (err) {
      throw toStoreError('append', err);
    }
    if (message === null) throw toStoreError('append', new Error(`stored commit at position ${position} is gone`));
    return { position, nextExpectedVersion: position, duplicate: true, events: decodeCommit<E>(toRawCommit(message), ctx.registry) };
  }

  /**
   * A stale expected version either means another writer won, or that this very
   * commit was stored earlier (a retry after a lost ack, past the duplicate window).
   * In the latter case it sits right after `expected` on the subject, because the
   * broker only stored it there.
   */
  private async resolveConflict<E extends DomainEvent>(
    ctx: ResolvedContext,
    stream: StreamRef,
    subject: string,
    commitId: string,
    expected: number,
  ): Promise<AppendResult<E>> {
    let next: StoredMsg | null;
    let last: StoredMsg | null;
    try {
      // next_by_subj is accepted by STREAM.MSG.GET although the client types only list seq/last_by_subj.
      const query: SeqMsgRequest & NextMsgRequest = { seq: expected + 1, next_by_subj: subject };
      next = await this.jsm.streams.getMessage(ctx.streamName, query);
      if (next !== null && next.header?.get(PubHeaders.MsgIdHdr) === commitId) return this.storedCommit<E>(ctx, next.seq, next);
      last = await this.jsm.streams.getMessage(ctx.streamName, { last_by_subj: subject });
    } catch (err) {
      throw toStoreError('append', err);
    }
    throw new StreamVersionConflict(stream, expected, last?.seq ?? 0);
  }

  async readStream<E extends DomainEvent>(stream: StreamRef): Promise<ReadStreamResult<E>> {
    this.assertOpen();
    const ctx = this.catalog.contextOf(stream);
    const commits = await readStreamCommits(this.jsm, this.js, ctx.streamName, subjectFor(stream));
    const events = commits.flatMap((raw) => decodeCommit<E>(raw, ctx.registry));
    return { events, streamVersion: commits.at(-1)?.position ?? 0 };
  }

  readAll<E extends DomainEvent>(options: ReadAllOptions): AsyncIterable<RecordedEvent<E>> {
    // Everything, validation included, happens on iteration so errors surface in one place.
    const start = (): { ctx: ResolvedContext; afterPosition: number } => {
      this.assertOpen();
      const ctx = this.catalog.context(options.context);
      const afterPosition = checkPosition('afterPosition', options.afterPosition ?? 0);
      const limit = options.limit;
      if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
        throw new ValidationError('readAll limit must be a positive integer', [`limit: ${String(limit)}`]);
      }
      return { ctx, afterPosition };
    };
    const { jsm, js } = this;
    return {
      async *[Symbol.asyncIterator]() {
        const { ctx, afterPosition } = start();
        const range = { streamName: ctx.streamName, startPosition: afterPosition + 1, maxCommits: options.limit };
        for await (const raw of readCommits(jsm, js, range)) yield* decodeCommit<E>(raw, ctx.registry);
      },
    };
  }

  async subscribe<E extends DomainEvent>(options: SubscribeOptions<E>): Promise<Subscription> {
    this.assertOpen();
    const ctx = this.catalog.context(options.context);
    checkPosition('afterPosition', options.afterPosition ?? 0);
    const subscription = await startSubscription<E>(
      {
        js: this.js,
        streamName: ctx.streamName,
        decode: <T extends DomainEvent>(raw: RawCommit) => decodeCommit<T>(raw, ctx.registry),
        onEnded: (sub) => this.subscriptions.delete(sub),
      },
      options,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(context: string): Promise<number> {
    this.assertOpen();
    const ctx = this.catalog.context(context);
    try {
      return (await this.jsm.streams.info(ctx.streamName)).state.last_seq;
    } catch (err) {
      throw toStoreError('headPosition', err);
    }
  }

  /** Stops every subscription of this store. The NATS connection stays open (the caller owns it). */
  async close(): Promise<void> {
    this.closed = true;
    this.acks.close();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function checkPosition(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ValidationError(`${field} must be an integer >= 0`, [`${field}: ${String(value)}`]);
  return value;
}

/** Same as JetStreamEventStore.create. */
export function createJetStreamEventStore(options: JetStreamEventStoreOptions): Promise<JetStreamEventStore> {
  return JetStreamEventStore.create(options);
}
