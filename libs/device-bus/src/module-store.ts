import { createHash } from 'node:crypto';
import { DiscardPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers, nuid, type NatsConnection } from '@nats-io/transport-node';
import { ValidationError } from '@wasmbed/errors';
import { InvalidBusMessage, ModuleIntegrityError, ModuleNotFound, ModuleStoreUnavailable } from './errors';
import { parseBusValue } from './json-codec';
import {
  chunkSubject,
  metaSubject,
  objectDigest,
  objectInfoSchema,
  objectStreamName,
  objectSubjects,
  splitChunks,
  type ObjectInfo,
} from './object-store-format';
import { streamReplicas } from './stream-replicas';

/** Object Store bucket holding every module, keyed by the lowercase hex SHA-256 of its bytes. */
export const MODULE_BUCKET = 'wasmbed_modules';
/** Object Store's customary chunk size: well under any server's max_payload. */
export const MODULE_STORE_CHUNK_BYTES = 128 * 1024;
/** Larger modules are refused on both put and get (MCU modules are far smaller). */
export const MAX_MODULE_BYTES = 16 * 1024 * 1024;

/** The JetStream stream behind the bucket. */
export const MODULE_STREAM = objectStreamName(MODULE_BUCKET);
const STREAM = MODULE_STREAM;
const FETCH_EXPIRES_MS = 5_000;
const SHA256_HEX = /^[0-9a-f]{64}$/;

interface Clients {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

export interface ModuleStoreOptions {
  /** JetStream replicas of the bucket if this call creates it (an existing bucket keeps its own). Default 1. */
  readonly replicas?: number;
}

// One bucket check per connection, not per call.
const ready = new WeakMap<NatsConnection, Promise<Clients>>();

function clientsFor(nc: NatsConnection, replicas = 1): Promise<Clients> {
  let clients = ready.get(nc);
  if (clients === undefined) {
    clients = openBucket(nc, replicas);
    ready.set(nc, clients);
    clients.catch(() => ready.delete(nc));
  }
  return clients;
}

/**
 * Creates the bucket if needed (idempotent) with `replicas`. Optional:
 * putModule, getModule and hasModule create it on first use, with 1 replica.
 */
export async function openModuleStore(nc: NatsConnection, options: ModuleStoreOptions = {}): Promise<void> {
  await clientsFor(nc, streamReplicas(options.replicas, 'module store'));
}

async function openBucket(nc: NatsConnection, replicas: number): Promise<Clients> {
  try {
    const jsm = await jetstreamManager(nc);
    const existing = await jsm.streams.info(STREAM).catch(() => undefined);
    if (existing === undefined) {
      await jsm.streams.add({
        name: STREAM,
        description: 'Wasmbed modules (Object Store), keyed by SHA-256',
        subjects: objectSubjects(MODULE_BUCKET),
        storage: StorageType.File,
        discard: DiscardPolicy.New,
        allow_rollup_hdrs: true,
        allow_direct: true,
        max_msgs: -1,
        max_bytes: -1,
        max_age: 0,
        num_replicas: replicas,
      });
    }
    return { jsm, js: jetstream(nc) };
  } catch (err) {
    throw new ModuleStoreUnavailable('open', { cause: err });
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readInfo(clients: Clients, sha256: string): Promise<ObjectInfo | undefined> {
  let stored;
  try {
    stored = await clients.jsm.streams.getMessage(STREAM, { last_by_subj: metaSubject(MODULE_BUCKET, sha256) });
  } catch (err) {
    throw new ModuleStoreUnavailable('get', { cause: err });
  }
  if (stored === null) return undefined;
  const info = parseBusValue(objectInfoSchema, stored.json<unknown>(), `module ${sha256} metadata`);
  return info.deleted === true ? undefined : info;
}

/**
 * Stores module bytes under their SHA-256 and returns it. Content-addressed, so
 * storing the same bytes again writes nothing.
 */
export async function putModule(nc: NatsConnection, bytes: Uint8Array): Promise<string> {
  if (bytes.length === 0) throw new ValidationError('a module cannot be empty', ['module: 0 bytes']);
  if (bytes.length > MAX_MODULE_BYTES) {
    throw new ValidationError(`a module may have at most ${MAX_MODULE_BYTES} bytes`, [`module: ${bytes.length} bytes`]);
  }
  const sha256 = sha256Hex(bytes);
  const clients = await clientsFor(nc);
  const digest = objectDigest(bytes);
  const existing = await readInfo(clients, sha256);
  if (existing !== undefined && existing.digest === digest && existing.size === bytes.length && (await chunksPresent(clients, existing))) {
    return sha256;
  }

  const id = nuid.next();
  const chunks = splitChunks(bytes, MODULE_STORE_CHUNK_BYTES);
  const info: ObjectInfo = {
    name: sha256,
    bucket: MODULE_BUCKET,
    nuid: id,
    size: bytes.length,
    chunks: chunks.length,
    mtime: new Date().toISOString(),
    digest,
    options: { max_chunk_size: MODULE_STORE_CHUNK_BYTES },
  };
  try {
    for (const chunk of chunks) await clients.js.publish(chunkSubject(MODULE_BUCKET, id), chunk);
    const h = headers();
    // Keeps only the newest metadata of this object, as the Object Store does.
    h.set('Nats-Rollup', 'sub');
    await clients.js.publish(metaSubject(MODULE_BUCKET, sha256), JSON.stringify(info), { headers: h });
    // A damaged earlier copy leaves its chunks behind; drop them.
    if (existing !== undefined) await clients.jsm.streams.purge(STREAM, { filter: chunkSubject(MODULE_BUCKET, existing.nuid) });
  } catch (err) {
    throw new ModuleStoreUnavailable('put', { cause: err });
  }
  return sha256;
}

/** Whether the store holds a module with this SHA-256 (without reading its bytes). */
export async function hasModule(nc: NatsConnection, sha256: string): Promise<boolean> {
  assertSha256(sha256);
  return (await readInfo(await clientsFor(nc), sha256)) !== undefined;
}

/**
 * The bytes stored under `sha256`, verified: their size and hash must match, or
 * ModuleIntegrityError. ModuleNotFound when the store does not hold it.
 */
export async function getModule(nc: NatsConnection, sha256: string): Promise<Uint8Array> {
  assertSha256(sha256);
  const clients = await clientsFor(nc);
  const info = await readInfo(clients, sha256);
  if (info === undefined) throw new ModuleNotFound(sha256);
  if (info.size > MAX_MODULE_BYTES) throw new ModuleIntegrityError(sha256, `metadata claims ${info.size} bytes`);
  const bytes = await readChunks(clients, sha256, info);
  if (bytes.length !== info.size) throw new ModuleIntegrityError(sha256, `read ${bytes.length} bytes, metadata says ${info.size}`);
  if (sha256Hex(bytes) !== sha256) throw new ModuleIntegrityError(sha256, 'content does not hash to its key');
  return bytes;
}

async function readChunks(clients: Clients, sha256: string, info: ObjectInfo): Promise<Uint8Array> {
  if (info.chunks === 0) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    const consumer = await clients.js.consumers.get(STREAM, { filter_subjects: chunkSubject(MODULE_BUCKET, info.nuid) });
    try {
      // Known at once from the consumer, so a damaged object fails fast instead of at a fetch timeout.
      const pending = (await consumer.info()).num_pending;
      if (pending !== info.chunks) throw new ModuleIntegrityError(sha256, `${info.chunks} chunks expected, ${pending} stored`);
      while (parts.length < info.chunks) {
        const before = parts.length;
        const batch = await consumer.fetch({ max_messages: info.chunks - parts.length, expires: FETCH_EXPIRES_MS });
        for await (const m of batch) {
          size += m.data.length;
          if (size > info.size) throw new ModuleIntegrityError(sha256, `chunks exceed the ${info.size} bytes of the metadata`);
          parts.push(m.data);
        }
        if (parts.length === before) throw new ModuleIntegrityError(sha256, `${info.chunks - parts.length} of ${info.chunks} chunks are missing`);
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  } catch (err) {
    if (err instanceof ModuleIntegrityError) throw err;
    throw new ModuleStoreUnavailable('get', { cause: err });
  }
  return Buffer.concat(parts);
}

async function chunksPresent(clients: Clients, info: ObjectInfo): Promise<boolean> {
  const subject = chunkSubject(MODULE_BUCKET, info.nuid);
  try {
    const stream = await clients.jsm.streams.info(STREAM, { subjects_filter: subject });
    return (stream.state.subjects?.[subject] ?? 0) === info.chunks;
  } catch (err) {
    throw new ModuleStoreUnavailable('put', { cause: err });
  }
}

function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new InvalidBusMessage('module key', [`sha256: must be 64 lowercase hex characters, got '${sha256}'`]);
}
