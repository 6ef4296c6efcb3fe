import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry, type KvOptions } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AppliedMarks, DocumentStore, ListOptions, Page, PutOptions, StoredDocument } from './document-store';
import { CorruptReadModelError } from './errors';
import { checkpointKey, documentKey, idFromKey } from './kv-keys';
import { collectPage } from './paginate';
import { assertCollection, assertDocumentRef, assertPosition, assertToken, toJson } from './validation';

export interface KvDocumentStoreOptions {
  /** Owned by the caller: the store never closes it. */
  readonly connection: NatsConnection;
  /** Projection name; the bucket is `wasmbed_rm_<projection>`. */
  readonly projection: string;
  /** Extra bucket settings (replicas, storage, ...). History is always 1. */
  readonly kvOptions?: Partial<KvOptions>;
}

export function readModelBucketName(projection: string): string {
  assertToken('projection name', projection);
  return `wasmbed_rm_${projection}`;
}

/**
 * Read models in a JetStream KV bucket, one per projection. Documents are keys
 * `<collection>.<encoded id>`, checkpoints `_checkpoint.<context>`; both survive
 * restarts, so a restarted service resumes from its checkpoint instead of replaying.
 * One runner writes a bucket at a time (see README).
 */
export class KvDocumentStore implements DocumentStore {
  private constructor(
    readonly bucket: string,
    private readonly kv: KV,
    private readonly jsm: JetStreamManager,
  ) {}

  static async open(options: KvDocumentStoreOptions): Promise<KvDocumentStore> {
    const bucket = readModelBucketName(options.projection);
    // Only the latest value of a key matters to a read model; older ones are waste.
    const kv = await new Kvm(options.connection).create(bucket, { ...options.kvOptions, history: 1 });
    const jsm = await jetstreamManager(options.connection);
    return new KvDocumentStore(bucket, kv, jsm);
  }

  async get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    assertDocumentRef(collection, id);
    return this.#read<T>(collection, id);
  }

  async put<T = unknown>(collection: string, id: string, doc: T, options: PutOptions): Promise<void> {
    assertDocumentRef(collection, id);
    // toJson(doc) on its own: inside a wrapper an undefined doc would vanish silently.
    const value = `{"doc":${toJson(doc)},"applied":${JSON.stringify(options.applied)}}`;
    await this.kv.put(documentKey(collection, id), value);
  }

  async delete(collection: string, id: string): Promise<void> {
    assertDocumentRef(collection, id);
    await this.kv.delete(documentKey(collection, id));
  }

  async list<T = unknown>(collection: string, options: ListOptions<T>): Promise<Page<T>> {
    assertCollection(collection);
    const ids: string[] = [];
    for await (const key of await this.kv.keys(`${collection}.>`)) {
      const id = idFromKey(collection, key);
      if (id !== undefined) ids.push(id);
    }
    return collectPage(ids, options, (id) => this.#read<T>(collection, id));
  }

  async getCheckpoint(context: string): Promise<number> {
    assertToken('context', context);
    const entry = live(await this.kv.get(checkpointKey(context)));
    if (!entry) return 0;
    const { position } = parse<{ position: number }>(entry);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new CorruptReadModelError(`bad checkpoint in ${this.bucket}`, { bucket: this.bucket, key: entry.key });
    }
    return position;
  }

  async setCheckpoint(context: string, position: number): Promise<void> {
    assertToken('context', context);
    assertPosition('checkpoint', position);
    await this.kv.put(checkpointKey(context), JSON.stringify({ position }));
  }

  async wipe(): Promise<void> {
    // One stream purge drops every key at once; the bucket and its config stay.
    await this.jsm.streams.purge(`KV_${this.bucket}`);
  }

  async #read<T>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    const entry = live(await this.kv.get(documentKey(collection, id)));
    if (!entry) return undefined;
    const value = parse<StoredValue<T>>(entry);
    return { id, doc: value.doc, applied: value.applied ?? {} };
  }
}

interface StoredValue<T = unknown> {
  readonly doc: T;
  readonly applied: AppliedMarks;
}

/** Deleted keys come back as DEL/PURGE markers; treat them as absent. */
function live(entry: KvEntry | null): KvEntry | undefined {
  return entry && entry.operation === 'PUT' ? entry : undefined;
}

function parse<T>(entry: KvEntry): T {
  try {
    return entry.json<T>();
  } catch (err) {
    throw new CorruptReadModelError(`undecodable value at ${entry.bucket}/${entry.key}`, { key: entry.key }, err);
  }
}
