import { jetstream, JetStreamApiError } from '@nats-io/jetstream';
import { withNats } from '@wasmbed/testing';
import { StreamVersionConflict } from './errors';
import { subjectFor } from './subjects';
import { enrolled, newDevice, openStore, renamed, type OpenStore } from './test-fixtures';

const nats = withNats();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('nats-server behaviour the store relies on', () => {
  it('answers a re-sent Nats-Msg-Id with a duplicate ack even when its expected subject sequence is stale', async () => {
    const { nc, close } = await openStore(nats().url);
    try {
      const js = jetstream(nc);
      const subject = subjectFor(newDevice());
      const first = await js.publish(subject, '{}', { msgID: 'commit-a', expect: { lastSubjectSequence: 0 } });
      await js.publish(subject, '{}', { msgID: 'commit-b', expect: { lastSubjectSequence: first.seq } });
      const again = await js.publish(subject, '{}', { msgID: 'commit-a', expect: { lastSubjectSequence: 0 } });
      expect(again).toMatchObject({ duplicate: true, seq: first.seq });
      // A new id with the stale sequence is a wrong-last-sequence error (API code 10071).
      const err = await js.publish(subject, '{}', { msgID: 'commit-c', expect: { lastSubjectSequence: 0 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JetStreamApiError);
      expect((err as JetStreamApiError).code).toBe(10071);
    } finally {
      await close();
    }
  });
});

describe('idempotency beyond the duplicate window', () => {
  // The broker forgets commit ids once the window has passed; 200 ms lets the tests outlive it.
  const windowMs = 200;
  let opened: OpenStore;
  beforeAll(async () => {
    opened = await openStore(nats().url, { duplicateWindowMs: windowMs });
  });
  afterAll(async () => {
    await opened.close();
  });

  it('recognises the retry of a commit whose ack was lost', async () => {
    const stream = newDevice();
    const base = await opened.store.append(stream, [enrolled()], { expectedVersion: 'no_stream' });
    const commit = [renamed('a'), renamed('b')];
    const written = await opened.store.append(stream, commit, { expectedVersion: base.nextExpectedVersion });
    await sleep(windowMs * 5);

    const retry = await opened.store.append(stream, commit, { expectedVersion: base.nextExpectedVersion });
    expect(retry).toMatchObject({ duplicate: true, position: written.position, nextExpectedVersion: written.position });
    expect(retry.events.map((e) => e.metadata.eventId)).toEqual(commit.map((e) => e.metadata.eventId));
    expect((await opened.store.readStream(stream)).events).toHaveLength(3);
  });

  it('recognises a retried commit after the stream moved on', async () => {
    const stream = newDevice();
    const commit = [enrolled('a'), renamed('b')];
    const first = await opened.store.append(stream, commit, { expectedVersion: 'no_stream' });
    await opened.store.append(stream, [renamed('c')], { expectedVersion: first.nextExpectedVersion });
    await sleep(windowMs * 5);

    const retry = await opened.store.append(stream, commit, { expectedVersion: 'no_stream' });
    expect(retry).toMatchObject({ duplicate: true, position: first.position });
    expect((await opened.store.readStream(stream)).events).toHaveLength(3);
  });

  it('still reports a different commit with a stale version as a conflict with the actual version', async () => {
    const stream = newDevice();
    const first = await opened.store.append(stream, [enrolled()], { expectedVersion: 'no_stream' });
    const second = await opened.store.append(stream, [renamed('b')], { expectedVersion: first.nextExpectedVersion });
    await sleep(windowMs * 5);
    const err = await opened.store.append(stream, [renamed('c')], { expectedVersion: first.nextExpectedVersion }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamVersionConflict);
    expect(err).toMatchObject({ expected: first.nextExpectedVersion, actual: second.nextExpectedVersion });
  });

  it("does not deduplicate an 'any' retry once the window has passed (documented limit)", async () => {
    const stream = newDevice();
    const commit = [enrolled()];
    await opened.store.append(stream, commit, { expectedVersion: 'any' });
    await sleep(windowMs * 5);
    const retry = await opened.store.append(stream, commit, { expectedVersion: 'any' });
    expect(retry.duplicate).toBe(false);
    expect((await opened.store.readStream(stream)).events).toHaveLength(2);
  });
});
