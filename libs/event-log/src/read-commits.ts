import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { EventStoreUnavailableError } from './errors';
import type { RawCommit } from './commit-codec';
import { toStoreError } from './nats-errors';

export interface ReadRange {
  readonly streamName: string;
  /** Only commits on this subject (one aggregate stream); all commits when absent. */
  readonly filterSubject?: string;
  /** First position to read (>= 1). */
  readonly startPosition: number;
  /** Stop after this many commits. */
  readonly maxCommits?: number;
}

const BATCH = 100;
// A reader that stops iterating midway leaves its consumer behind; the broker reaps it.
const INACTIVE_THRESHOLD_MS = 60_000;
const FETCH_EXPIRES_MS = 10_000;

/**
 * Reads a bounded range of commits with a short-lived ephemeral consumer. The
 * consumer's num_pending at creation fixes the end of the range, so the read ends at
 * the head as of its start even while writers keep appending. With a filter subject
 * the broker only walks that aggregate's messages (readStream's tail of a long stream).
 */
export async function* readCommits(jsm: JetStreamManager, js: JetStreamClient, range: ReadRange): AsyncGenerator<RawCommit> {
  const operation = range.filterSubject === undefined ? 'readAll' : 'readStream';
  const info = await jsm.consumers
    .add(range.streamName, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: range.startPosition,
      ack_policy: AckPolicy.None,
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: nanos(INACTIVE_THRESHOLD_MS),
      ...(range.filterSubject === undefined ? {} : { filter_subject: range.filterSubject }),
    })
    .catch((err: unknown) => {
      throw toStoreError(operation, err);
    });
  try {
    const total = Math.min(info.num_pending, range.maxCommits ?? Number.POSITIVE_INFINITY);
    const consumer = js.consumers.getConsumerFromInfo(info);
    let delivered = 0;
    while (delivered < total) {
      const batch: RawCommit[] = [];
      try {
        const messages = await consumer.fetch({ max_messages: Math.min(BATCH, total - delivered), expires: FETCH_EXPIRES_MS });
        for await (const m of messages) {
          batch.push({ subject: m.subject, position: m.seq, storedAt: m.time.toISOString(), body: m.data });
        }
      } catch (err) {
        throw toStoreError(operation, err);
      }
      // Deletes are denied, so every pending message must arrive; anything else is a broker problem.
      if (batch.length === 0) throw new EventStoreUnavailableError(operation, { cause: new Error('read ended before the expected head') });
      delivered += batch.length;
      yield* batch;
    }
  } finally {
    await jsm.consumers.delete(range.streamName, info.name).catch(() => undefined);
  }
}
