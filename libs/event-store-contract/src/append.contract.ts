import { InvalidCommitError, InvalidStreamId, StreamVersionConflict, type StreamRef } from '@wasmbed/event-log';
import { changed, created, newItemStream, uid, type ItemEvent } from './contract-setup';
import { rejectionOf, type ContractHarness } from './harness';

const eventIds = (events: readonly { metadata: { eventId: string } }[]): string[] => events.map((e) => e.metadata.eventId);

export function appendContract(h: ContractHarness): void {
  describe('append', () => {
    it("creates a stream with 'no_stream' and reports the commit", async () => {
      const stream = newItemStream();
      const result = await h.store().append<ItemEvent>(stream, [created('a')], { expectedVersion: 'no_stream' });
      expect(result.duplicate).toBe(false);
      expect(result.position).toBeGreaterThan(0);
      expect(result.nextExpectedVersion).toBe(result.position);
      expect(result.events).toHaveLength(1);
      expect(result.events[0]).toMatchObject({ stream, type: 'ItemCreated', data: { name: 'a' }, position: result.position });

      const read = await h.store().readStream<ItemEvent>(stream);
      expect(read.streamVersion).toBe(result.position);
      expect(read.events.map((e) => e.data)).toEqual([{ name: 'a' }]);
    });

    it('appends with the correct expected version', async () => {
      const stream = newItemStream();
      const first = await h.store().append(stream, [created()], { expectedVersion: 'no_stream' });
      const second = await h.store().append(stream, [changed(1)], { expectedVersion: first.nextExpectedVersion });
      const third = await h.store().append(stream, [changed(2)], { expectedVersion: second.nextExpectedVersion });
      expect(second.position).toBeGreaterThan(first.position);
      expect(third.position).toBeGreaterThan(second.position);
      const read = await h.store().readStream(stream);
      expect(read.streamVersion).toBe(third.position);
      expect(read.events.map((e) => e.type)).toEqual(['ItemCreated', 'ItemChanged', 'ItemChanged']);
    });

    it("accepts 'any' whatever the version, and 0 as 'no_stream'", async () => {
      const stream = newItemStream();
      const first = await h.store().append(stream, [created()], { expectedVersion: 0 });
      await h.store().append(stream, [changed(1)], { expectedVersion: 'any' });
      await h.store().append(stream, [changed(2)], { expectedVersion: 'any' });
      const read = await h.store().readStream(stream);
      expect(read.events).toHaveLength(3);
      expect(read.events[0].position).toBe(first.position);
    });

    it('rejects a stale expected version with StreamVersionConflict and writes nothing', async () => {
      const stream = newItemStream();
      const v1 = await h.store().append(stream, [created()], { expectedVersion: 'no_stream' });
      const v2 = await h.store().append(stream, [changed(1)], { expectedVersion: v1.nextExpectedVersion });

      const stale = changed(99);
      const err = await rejectionOf(h.store().append(stream, [stale], { expectedVersion: v1.nextExpectedVersion }));
      expect(err).toBeInstanceOf(StreamVersionConflict);
      expect(err).toMatchObject({ code: 'conflict', expected: v1.nextExpectedVersion, actual: v2.nextExpectedVersion, stream });

      const ahead = await rejectionOf(h.store().append(stream, [changed(100)], { expectedVersion: v2.nextExpectedVersion + 1000 }));
      expect(ahead).toBeInstanceOf(StreamVersionConflict);
      const exists = await rejectionOf(h.store().append(stream, [changed(101)], { expectedVersion: 'no_stream' }));
      expect(exists).toMatchObject({ code: 'conflict', expected: 0, actual: v2.nextExpectedVersion });

      const read = await h.store().readStream(stream);
      expect(read.streamVersion).toBe(v2.nextExpectedVersion);
      expect(read.events.map((e) => e.type)).toEqual(['ItemCreated', 'ItemChanged']);
      expect(eventIds(read.events)).not.toContain(stale.metadata.eventId);
    });

    it('lets exactly one of 10 concurrent writers with the same expected version win', async () => {
      const stream = newItemStream();
      const base = await h.store().append(stream, [created()], { expectedVersion: 'no_stream' });
      const attempts = Array.from({ length: 10 }, (_, i) => changed(i));
      const outcomes = await Promise.allSettled(
        attempts.map((event) => h.store().append(stream, [event], { expectedVersion: base.nextExpectedVersion })),
      );
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      for (const loser of losers) expect(loser.reason).toBeInstanceOf(StreamVersionConflict);

      const read = await h.store().readStream(stream);
      expect(read.events).toHaveLength(2);
      const winnerIndex = outcomes.findIndex((o) => o.status === 'fulfilled');
      expect(read.events[1].metadata.eventId).toBe(attempts[winnerIndex].metadata.eventId);
      expect(read.streamVersion).toBe((winners[0] as PromiseFulfilledResult<{ position: number }>).value.position);
    });

    it('is idempotent by event ids: the same commit again is a duplicate, stored once', async () => {
      const stream = newItemStream();
      const commit = [created('x'), changed(1)];
      const first = await h.store().append(stream, commit, { expectedVersion: 'no_stream' });
      const again = await h.store().append(stream, commit, { expectedVersion: 'no_stream' });
      expect(again).toMatchObject({ duplicate: true, position: first.position, nextExpectedVersion: first.nextExpectedVersion });
      expect(eventIds(again.events)).toEqual(eventIds(commit));
      const viaAny = await h.store().append(stream, commit, { expectedVersion: 'any' });
      expect(viaAny).toMatchObject({ duplicate: true, position: first.position });

      const read = await h.store().readStream(stream);
      expect(eventIds(read.events)).toEqual(eventIds(commit));
    });

    it('recognises a retried commit even after the stream moved on', async () => {
      const stream = newItemStream();
      const retried = [created()];
      const first = await h.store().append(stream, retried, { expectedVersion: 'no_stream' });
      await h.store().append(stream, [changed(1)], { expectedVersion: first.nextExpectedVersion });
      const retry = await h.store().append(stream, retried, { expectedVersion: 'no_stream' });
      expect(retry).toMatchObject({ duplicate: true, position: first.position });
      expect((await h.store().readStream(stream)).events).toHaveLength(2);
    });

    it('stores a multi-event commit atomically and in order', async () => {
      const stream = newItemStream();
      const commit = [created('m'), changed(1), changed(2), changed(3)];
      const result = await h.store().append<ItemEvent>(stream, commit, { expectedVersion: 'no_stream' });
      const read = await h.store().readStream<ItemEvent>(stream);
      expect(eventIds(read.events)).toEqual(eventIds(commit));
      read.events.forEach((e, i) => {
        expect(e.position).toBe(result.position);
        expect(e.indexInCommit).toBe(i);
        expect(e.commitSize).toBe(4);
      });
      expect(read.streamVersion).toBe(result.position);
    });

    it('rejects malformed commits before writing anything', async () => {
      const stream = newItemStream();
      const empty = await rejectionOf(h.store().append(stream, [], { expectedVersion: 'any' }));
      expect(empty).toBeInstanceOf(InvalidCommitError);
      expect(empty).toMatchObject({ code: 'invalid_argument' });
      const id = uid();
      const repeated = await rejectionOf(
        h.store().append(stream, [created('a', { eventId: id }), changed(1, { eventId: id })], { expectedVersion: 'any' }),
      );
      expect(repeated).toBeInstanceOf(InvalidCommitError);
      const blankId = await rejectionOf(h.store().append(stream, [created('a', { eventId: '' })], { expectedVersion: 'any' }));
      expect(blankId).toBeInstanceOf(InvalidCommitError);
      const badVersion = await rejectionOf(h.store().append(stream, [created()], { expectedVersion: -3 }));
      expect(badVersion).toBeInstanceOf(InvalidCommitError);
      expect(await h.store().readStream(stream)).toEqual({ events: [], streamVersion: 0 });
    });

    it.each<[string, StreamRef]>([
      ['a dot in the id', { aggregateType: 'item', aggregateId: 'a.b' }],
      ['a wildcard in the id', { aggregateType: 'item', aggregateId: '*' }],
      ['whitespace in the id', { aggregateType: 'item', aggregateId: 'a b' }],
      ['an id longer than 128', { aggregateType: 'item', aggregateId: 'x'.repeat(129) }],
      ['an aggregate type outside the contexts', { aggregateType: 'stranger', aggregateId: 'a' }],
    ])('rejects a stream id with %s as InvalidStreamId', async (_label, stream) => {
      const err = await rejectionOf(h.store().append(stream, [created()], { expectedVersion: 'any' }));
      expect(err).toBeInstanceOf(InvalidStreamId);
      expect(err).toMatchObject({ code: 'invalid_argument' });
      await expect(h.store().readStream(stream)).rejects.toBeInstanceOf(InvalidStreamId);
    });
  });
}
