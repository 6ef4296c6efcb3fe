import { UnknownContextError } from '@wasmbed/event-log';
import { changed, created, metadata, newItemStream, uid, type ItemEvent } from './contract-setup';
import { collect, type ContractHarness } from './harness';

export function readContract(h: ContractHarness): void {
  describe('readStream', () => {
    it('returns no events and version 0 for a stream that does not exist', async () => {
      await expect(h.store().readStream(newItemStream())).resolves.toEqual({ events: [], streamVersion: 0 });
    });

    it('keeps streams isolated: other ids, other aggregate types, other contexts', async () => {
      const a = newItemStream('item');
      const sameTypeOtherId = newItemStream('item');
      const otherType = { aggregateType: 'order', aggregateId: a.aggregateId };
      const otherContext = { aggregateType: 'remote', aggregateId: a.aggregateId };
      const ra = await h.store().append(a, [created('a')], { expectedVersion: 'no_stream' });
      const rb = await h.store().append(sameTypeOtherId, [created('b'), changed(1)], { expectedVersion: 'no_stream' });
      const rc = await h.store().append(otherType, [created('c')], { expectedVersion: 'no_stream' });
      const rd = await h.store().append(otherContext, [created('d')], { expectedVersion: 'no_stream' });
      await h.store().append(a, [changed(2)], { expectedVersion: ra.nextExpectedVersion });

      const readA = await h.store().readStream<ItemEvent>(a);
      expect(readA.events.map((e) => e.data)).toEqual([{ name: 'a' }, { name: 'name-2', n: 2 }]);
      for (const e of readA.events) expect(e.stream).toEqual(a);
      expect((await h.store().readStream(sameTypeOtherId)).streamVersion).toBe(rb.position);
      expect((await h.store().readStream(otherType)).events.map((e) => e.stream)).toEqual([otherType]);
      expect((await h.store().readStream(otherContext)).streamVersion).toBe(rd.position);
      expect(rc.position).toBeGreaterThan(rb.position);
    });

    it('round-trips metadata: correlation, causation, actor, timestamp', async () => {
      const stream = newItemStream();
      const withCause = metadata({ correlationId: 'corr-x', causationId: `cmd-${uid()}`, actor: 'svc:api', timestamp: '2024-02-29T23:59:59.123Z' });
      const withoutCause = metadata({ correlationId: 'corr-x', actor: 'device:abc' });
      await h.store().append(
        stream,
        [
          { event: { type: 'ItemCreated', data: { name: 'meta' } }, metadata: withCause },
          { event: { type: 'ItemNoted', data: { note: 'n' } }, metadata: withoutCause },
        ],
        { expectedVersion: 'no_stream' },
      );
      const { events } = await h.store().readStream(stream);
      expect(events.map((e) => e.metadata)).toEqual([withCause, withoutCause]);
      for (const e of events) {
        expect(e.schemaVersion).toBe(1);
        expect(Number.isNaN(Date.parse(e.storedAt))).toBe(false);
      }
    });
  });

  describe('readAll and headPosition', () => {
    it('reads a context log in position order after a position, up to a number of commits', async () => {
      const base = await h.store().headPosition('alpha');
      const s1 = newItemStream();
      const s2 = newItemStream('order');
      const c1 = await h.store().append(s1, [created('1'), changed(1)], { expectedVersion: 'no_stream' });
      const c2 = await h.store().append(s2, [created('2')], { expectedVersion: 'no_stream' });
      await h.store().append(newItemStream('remote'), [created('other context')], { expectedVersion: 'no_stream' });
      const c3 = await h.store().append(s1, [changed(3)], { expectedVersion: c1.nextExpectedVersion });
      expect(await h.store().headPosition('alpha')).toBe(c3.position);

      const all = await collect(h.store().readAll({ context: 'alpha', afterPosition: base }));
      expect(all.map((e) => [e.position, e.indexInCommit])).toEqual([
        [c1.position, 0],
        [c1.position, 1],
        [c2.position, 0],
        [c3.position, 0],
      ]);
      const positions = all.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);

      const afterFirst = await collect(h.store().readAll({ context: 'alpha', afterPosition: c1.position }));
      expect(afterFirst.map((e) => e.position)).toEqual([c2.position, c3.position]);

      // limit counts commits: the two-event commit comes whole.
      const limited = await collect(h.store().readAll({ context: 'alpha', afterPosition: base, limit: 2 }));
      expect(limited.map((e) => e.position)).toEqual([c1.position, c1.position, c2.position]);

      expect(await collect(h.store().readAll({ context: 'alpha', afterPosition: c3.position }))).toEqual([]);
    });

    it('reads from the beginning by default and ends at the head of when it started', async () => {
      const stream = newItemStream('remote');
      await h.store().append(stream, [created()], { expectedVersion: 'no_stream' });
      const head = await h.store().headPosition('beta');
      const seen: number[] = [];
      let wroteDuringRead = false;
      for await (const e of h.store().readAll({ context: 'beta' })) {
        seen.push(e.position);
        if (!wroteDuringRead) {
          wroteDuringRead = true;
          await h.store().append(newItemStream('remote'), [created('late')], { expectedVersion: 'no_stream' });
        }
      }
      expect(seen[0]).toBeGreaterThan(0);
      expect(seen[seen.length - 1]).toBe(head);
      expect(await h.store().headPosition('beta')).toBeGreaterThan(head);
    });

    it('rejects an unknown context', async () => {
      await expect(h.store().headPosition('nowhere')).rejects.toBeInstanceOf(UnknownContextError);
      await expect(collect(h.store().readAll({ context: 'nowhere' }))).rejects.toBeInstanceOf(UnknownContextError);
    });
  });
}
