import {
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ValidationError } from '@wasmbed/errors';
import { DeviceLogStoreUnavailable } from './errors';
import { decodeDeviceLog, type DeviceLogMessage } from './status';
import { streamReplicas } from './stream-replicas';
import { ALL_DEVICE_LOG_SUBJECTS, deviceLogSubject, parseDeviceSubject } from './subjects';

/** JetStream stream keeping the lines gateways publish on `wasmbed.device.*.log`. */
export const DEVICE_LOG_STREAM = 'WASMBED_DEVICE_LOGS';

/** How much of the device logs the stream keeps; the oldest lines go first. */
export interface DeviceLogRetention {
  readonly maxAgeMs: number;
  readonly maxBytes: number;
  /** Larger messages are not stored. */
  readonly maxMessageBytes: number;
}

export const DEFAULT_DEVICE_LOG_RETENTION: DeviceLogRetention = {
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytes: 256 * 1024 * 1024,
  // A log message holds up to 4096 characters; JSON escaping may take six bytes for one.
  maxMessageBytes: 32 * 1024,
};

const NANOS_PER_MS = 1_000_000;

function streamConfig(retention: DeviceLogRetention): Partial<StreamConfig> & { name: string } {
  return {
    name: DEVICE_LOG_STREAM,
    description: 'Wasmbed app log lines forwarded by gateways',
    subjects: [ALL_DEVICE_LOG_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: retention.maxAgeMs * NANOS_PER_MS,
    max_bytes: retention.maxBytes,
    max_msg_size: retention.maxMessageBytes,
    max_msgs: -1,
  };
}

export interface DeviceLogStreamOptions {
  /** JetStream replicas of the stream if this call creates it (an existing stream keeps its own). Default 1. */
  readonly replicas?: number;
}

/**
 * Creates the device log stream, or brings an existing one to `retention`.
 * Gateways publish on core NATS, so lines are kept only while this stream exists.
 */
export async function ensureDeviceLogStream(
  nc: NatsConnection,
  retention: DeviceLogRetention = DEFAULT_DEVICE_LOG_RETENTION,
  options: DeviceLogStreamOptions = {},
): Promise<'created' | 'updated' | 'unchanged'> {
  for (const [field, value] of Object.entries(retention)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ValidationError(`invalid device log retention: ${field} must be a positive integer`, [`${field}: must be a positive integer`]);
    }
  }
  const replicas = streamReplicas(options.replicas, 'device log stream');
  const wanted = streamConfig(retention);
  try {
    const jsm = await jetstreamManager(nc);
    const existing = await jsm.streams.info(DEVICE_LOG_STREAM).catch(() => undefined);
    if (existing === undefined) {
      await jsm.streams.add({ ...wanted, num_replicas: replicas });
      return 'created';
    }
    const current = existing.config;
    if (current.max_age === wanted.max_age && current.max_bytes === wanted.max_bytes && current.max_msg_size === wanted.max_msg_size) {
      return 'unchanged';
    }
    await jsm.streams.update(DEVICE_LOG_STREAM, { ...current, ...wanted });
    return 'updated';
  } catch (err) {
    throw new DeviceLogStoreUnavailable('setup', { cause: err });
  }
}

export interface DeviceLogQuery {
  /** Only this device's lines; undefined = every device. */
  readonly deviceId?: string;
  /** Only this app's lines; undefined = every app. */
  readonly appId?: string;
  /** The newest stored lines to emit first, oldest first; 0 = none. */
  readonly tail: number;
  /** Then emit new lines as they are stored, until `signal` aborts. */
  readonly follow: boolean;
  readonly signal?: AbortSignal;
  /** A stored message that is no valid log line of its subject's device; it is skipped. */
  readonly onInvalid?: (err: unknown, seq: number) => void;
}

/** Sizes (in stream sequences) of the ranges read backwards from the head to find the tail. */
const FIRST_WINDOW = 64;
const WINDOW_GROWTH = 4;
const FETCH_BATCH = 512;
const FETCH_EXPIRES_MS = 5_000;

/**
 * Emits the newest `tail` stored lines matching the query, oldest first, then
 * (with `follow`) every line stored afterwards, in order, until `signal` aborts.
 * Uses ordered consumers only: nothing durable is left on the server.
 */
export async function readDeviceLogs(nc: NatsConnection, query: DeviceLogQuery, emit: (line: DeviceLogMessage) => Promise<void>): Promise<void> {
  if (!Number.isSafeInteger(query.tail) || query.tail < 0) {
    throw new ValidationError('invalid device log query: tail must be an integer >= 0', ['tail: must be an integer >= 0']);
  }
  const reader = new LogReader(jetstream(nc), query);
  let head: number;
  let first: number;
  try {
    const state = (await (await jetstreamManager(nc)).streams.info(DEVICE_LOG_STREAM)).state;
    head = state.last_seq;
    first = state.first_seq;
  } catch (err) {
    throw new DeviceLogStoreUnavailable('read', { cause: err });
  }
  if (query.tail > 0 && head >= first) {
    for (const line of await reader.tail(first, head)) {
      if (query.signal?.aborted) return;
      await emit(line);
    }
  }
  if (query.follow) await reader.follow(head + 1, emit);
}

class LogReader {
  readonly #subject: string;

  constructor(
    private readonly js: JetStreamClient,
    private readonly query: DeviceLogQuery,
  ) {
    this.#subject = query.deviceId === undefined ? ALL_DEVICE_LOG_SUBJECTS : deviceLogSubject(query.deviceId);
  }

  /** The newest `tail` matching lines among sequences first..head, reading ever wider ranges backwards. */
  async tail(first: number, head: number): Promise<DeviceLogMessage[]> {
    const { tail } = this.query;
    let lines: DeviceLogMessage[] = [];
    let end = head;
    for (let window = Math.max(tail, FIRST_WINDOW); ; window *= WINDOW_GROWTH) {
      const start = Math.max(first, end - window + 1);
      lines = [...(await this.#range(start, end)), ...lines].slice(-tail);
      if (lines.length >= tail || start === first || this.query.signal?.aborted) return lines;
      end = start - 1;
    }
  }

  /** Every matching line stored from `start` on, until the signal aborts. */
  async follow(start: number, emit: (line: DeviceLogMessage) => Promise<void>): Promise<void> {
    const { signal } = this.query;
    if (signal?.aborted) return;
    try {
      const consumer = await this.#consumer(start);
      const messages = await consumer.consume({ max_messages: FETCH_BATCH });
      const stop = () => messages.stop();
      signal?.addEventListener('abort', stop, { once: true });
      try {
        for await (const m of messages) {
          if (signal?.aborted) break;
          const line = this.#decode(m);
          if (line !== undefined) await emit(line);
        }
      } finally {
        signal?.removeEventListener('abort', stop);
        await messages.close().catch(() => undefined);
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw new DeviceLogStoreUnavailable('follow', { cause: err });
    }
    if (!signal?.aborted) throw new DeviceLogStoreUnavailable('follow', { cause: new Error('consumer ended (connection closed?)') });
  }

  /** Matching lines with sequences start..end, keeping only the newest `tail`. */
  async #range(start: number, end: number): Promise<DeviceLogMessage[]> {
    const keep = this.query.tail;
    let lines: DeviceLogMessage[] = [];
    try {
      const consumer = await this.#consumer(start);
      try {
        let remaining = (await consumer.info()).num_pending;
        while (remaining > 0) {
          const batch = await consumer.fetch({ max_messages: Math.min(remaining, FETCH_BATCH), expires: FETCH_EXPIRES_MS });
          let received = 0;
          for await (const m of batch) {
            received += 1;
            remaining = m.seq >= end ? 0 : m.info.pending;
            if (m.seq > end) break;
            const line = this.#decode(m);
            if (line !== undefined) lines.push(line);
            if (lines.length > 2 * keep) lines = lines.slice(-keep);
            if (remaining === 0) break;
          }
          // Lines aged out while we read: what is left is all there is.
          if (received === 0) break;
        }
      } finally {
        await consumer.delete().catch(() => undefined);
      }
    } catch (err) {
      throw new DeviceLogStoreUnavailable('read', { cause: err });
    }
    return lines.slice(-keep);
  }

  #consumer(start: number) {
    return this.js.consumers.get(DEVICE_LOG_STREAM, { filter_subjects: this.#subject, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start });
  }

  #decode(m: JsMsg): DeviceLogMessage | undefined {
    try {
      const line = decodeDeviceLog(m.data);
      // A line must be about the device whose subject it came on.
      if (parseDeviceSubject(m.subject)?.deviceId !== line.deviceId) throw new Error(`line of device '${line.deviceId}' on subject ${m.subject}`);
      return this.query.appId === undefined || line.appId === this.query.appId ? line : undefined;
    } catch (err) {
      this.query.onInvalid?.(err, m.seq);
      return undefined;
    }
  }
}
