import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection, QueuedIterator } from '@nats-io/transport-node';
import { LivenessStoreUnavailable } from './errors';
import { KvPutAcks } from './kv-put-acks';
import { decodeLivenessRecord, encodeLivenessRecord, type LivenessRecord } from './liveness-record';
import { assertDeviceId } from './subjects';

/** JetStream KV bucket of liveness records, key = deviceId. */
export const LIVENESS_BUCKET = 'wasmbed_liveness';
/** The JetStream stream behind the bucket (KV buckets are streams `KV_<bucket>`). */
export const LIVENESS_STREAM = `KV_${LIVENESS_BUCKET}`;

export interface LivenessStoreOptions {
  /** Records not rewritten for this long are dropped by the server (a crashed gateway's leftovers). Default: kept. */
  readonly maxAgeMs?: number;
  readonly replicas?: number;
  /** How long a put waits for the server's ack (default 5 s; a lost ack is reported within two of these). */
  readonly putTimeoutMs?: number;
}

/** A record was written (`record`) or removed (`record` undefined). */
export interface LivenessChange {
  readonly deviceId: string;
  readonly record: LivenessRecord | undefined;
  readonly revision: number;
}

export interface LivenessWatch {
  stop(): Promise<void>;
  /** Resolves when the watch ends (stop() or a lost connection). */
  readonly closed: Promise<void>;
}

function isLive(entry: KvEntry | null): entry is KvEntry {
  return entry !== null && entry.operation === 'PUT';
}

/**
 * Read/write access to the liveness bucket. Gateways keep a device's record
 * fresh while its session lasts; readers get or watch it. Only the latest value
 * is kept. Puts share one ack inbox (no request object per put).
 */
export class LivenessStore {
  private constructor(
    private readonly kv: KV,
    private readonly acks: KvPutAcks,
  ) {}

  /** Creates the bucket if needed (idempotent) and binds to it. */
  static async open(nc: NatsConnection, options: LivenessStoreOptions = {}): Promise<LivenessStore> {
    try {
      const kv = await new Kvm(nc).create(LIVENESS_BUCKET, {
        history: 1,
        ...(options.maxAgeMs === undefined ? {} : { ttl: options.maxAgeMs }),
        ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      });
      return new LivenessStore(kv, new KvPutAcks(nc, options.putTimeoutMs ?? 5_000));
    } catch (err) {
      throw new LivenessStoreUnavailable('open', { cause: err });
    }
  }

  /** Validates and writes the record; returns its revision. */
  async put(record: LivenessRecord): Promise<number> {
    const value = encodeLivenessRecord(record);
    try {
      // The bucket's subject for the key (deviceId, validated above, is one subject token), as kv.put would publish.
      return await this.acks.put(`$KV.${LIVENESS_BUCKET}.${record.deviceId}`, value);
    } catch (err) {
      throw new LivenessStoreUnavailable('put', { cause: err });
    }
  }

  async get(deviceId: string): Promise<LivenessRecord | undefined> {
    assertDeviceId(deviceId);
    let entry: KvEntry | null;
    try {
      entry = await this.kv.get(deviceId);
    } catch (err) {
      throw new LivenessStoreUnavailable('get', { cause: err });
    }
    return isLive(entry) ? decodeLivenessRecord(entry.value) : undefined;
  }

  /** Every current record, in key order. */
  async list(): Promise<LivenessRecord[]> {
    const keys: string[] = [];
    try {
      for await (const key of await this.kv.keys()) keys.push(key);
    } catch (err) {
      throw new LivenessStoreUnavailable('list', { cause: err });
    }
    const records = await Promise.all(keys.sort().map((k) => this.get(k)));
    return records.filter((r): r is LivenessRecord => r !== undefined);
  }

  /**
   * Removes the device's record if it still belongs to `sessionId`: a session
   * ending late must not erase the record of the newer session that replaced it.
   * Returns whether it removed something.
   */
  async removeSession(deviceId: string, sessionId: string): Promise<boolean> {
    assertDeviceId(deviceId);
    try {
      const entry = await this.kv.get(deviceId);
      if (!isLive(entry) || decodeLivenessRecord(entry.value).sessionId !== sessionId) return false;
      await this.kv.delete(deviceId, { previousSeq: entry.revision });
      return true;
    } catch (err) {
      // previousSeq no longer matches: another session wrote meanwhile, which wins.
      if (isWrongLastSequence(err)) return false;
      throw new LivenessStoreUnavailable('delete', { cause: err });
    }
  }

  /**
   * Calls `onChange` for the current records, then for every change. A record
   * that fails validation is reported through `onError` and skipped.
   */
  async watch(onChange: (change: LivenessChange) => void, onError: (err: Error) => void = () => undefined): Promise<LivenessWatch> {
    let iterator: QueuedIterator<KvEntry>;
    try {
      iterator = await this.kv.watch();
    } catch (err) {
      throw new LivenessStoreUnavailable('watch', { cause: err });
    }
    const closed = (async () => {
      for await (const entry of iterator) {
        try {
          const record = entry.operation === 'PUT' ? decodeLivenessRecord(entry.value) : undefined;
          onChange({ deviceId: entry.key, record, revision: entry.revision });
        } catch (err) {
          onError(err instanceof Error ? err : new Error(String(err)));
        }
      }
    })();
    return {
      closed,
      async stop() {
        iterator.stop();
        await closed;
      },
    };
  }
}

function isWrongLastSequence(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence;
}
