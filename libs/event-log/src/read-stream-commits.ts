import type { JetStreamClient, JetStreamManager, NextMsgRequest, SeqMsgRequest, StoredMsg } from '@nats-io/jetstream';
import type { RawCommit } from './commit-codec';
import { EventStoreUnavailableError } from './errors';
import { toStoreError } from './nats-errors';
import { readCommits } from './read-commits';

export const toRawCommit = (m: StoredMsg): RawCommit => ({ subject: m.subject, position: m.seq, storedAt: m.time.toISOString(), body: m.data });

// Beyond this many commits a consumer is cheaper than one request per commit.
const WALK_LIMIT = 8;

/**
 * Every commit of one aggregate stream, read with STREAM.MSG.GET instead of a
 * consumer. A consumer costs the broker a create and a delete around the fetch
 * (most of the read's CPU for the one to three commits a device stream holds);
 * here an empty stream costs one request and a stream of k commits k + 1. A
 * longer stream (an application with many rollout reports) reads the rest after
 * WALK_LIMIT commits through a filtered consumer, as before.
 *
 * The last commit is fetched first (`last_by_subj`, answered from the broker's
 * per-subject index) and bounds the read, so the result is the stream as of that
 * moment even while writers append. The walk from the start (`next_by_subj`)
 * finds the first commit through the same index; later steps scan forward from
 * the previous commit. STREAM.MSG.GET is answered by the stream leader (unlike
 * DIRECT.GET by any replica), so a read after a write always sees it.
 */
export async function readStreamCommits(jsm: JetStreamManager, js: JetStreamClient, streamName: string, subject: string): Promise<RawCommit[]> {
  const get = async (query: SeqMsgRequest | (SeqMsgRequest & NextMsgRequest) | { last_by_subj: string }): Promise<StoredMsg | null> => {
    try {
      // next_by_subj is accepted by STREAM.MSG.GET although the client types only list seq/last_by_subj.
      return await jsm.streams.getMessage(streamName, query as SeqMsgRequest);
    } catch (err) {
      throw toStoreError('readStream', err);
    }
  };
  const last = await get({ last_by_subj: subject });
  if (last === null) return [];
  const commits: RawCommit[] = [];
  const vanished = () => new EventStoreUnavailableError('readStream', { cause: new Error(`commit ${last.seq} of ${subject} was not found again`) });
  let next = 1;
  while (commits.length < WALK_LIMIT) {
    const m = next === last.seq ? last : await get({ seq: next, next_by_subj: subject });
    // Deletes are denied: a commit seen as the last cannot vanish before the walk reaches it.
    if (m === null || m.seq > last.seq) throw vanished();
    commits.push(toRawCommit(m));
    if (m.seq === last.seq) return commits;
    next = m.seq + 1;
  }
  for await (const raw of readCommits(jsm, js, { streamName, filterSubject: subject, startPosition: next })) {
    if (raw.position > last.seq) break;
    commits.push(raw);
    if (raw.position === last.seq) return commits;
  }
  throw vanished();
}
