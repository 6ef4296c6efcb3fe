import type { RecordedEvent, Subscription } from '@wasmbed/event-log';
import { changed, created, FULL_REGISTRY, newItemStream } from './contract-setup';
import { eventually, type ContractHarness } from './harness';

/** Records every commit handed to a subscription. */
function recorder(): { commits: RecordedEvent[][]; onCommit: (events: RecordedEvent[]) => Promise<void> } {
  const commits: RecordedEvent[][] = [];
  return {
    commits,
    onCommit: async (events) => {
      commits.push(events);
    },
  };
}

const positionsOf = (commits: RecordedEvent[][]): number[] => commits.map((c) => c[0].position);

export function subscribeContract(h: ContractHarness): void {
  describe('subscribe', () => {
    const open: Subscription[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.stop()));
    });

    it('catches up, goes live, stops, and resumes from lastPosition without loss or duplication', async () => {
      const base = await h.store().headPosition('alpha');
      const s = newItemStream();
      const a = await h.store().append(s, [created(), changed(1)], { expectedVersion: 'no_stream' });
      const b = await h.store().append(newItemStream('order'), [created()], { expectedVersion: 'no_stream' });

      const first = recorder();
      const errors: Error[] = [];
      const sub = await h.store().subscribe({ context: 'alpha', afterPosition: base, onCommit: first.onCommit, onError: (e) => errors.push(e) });
      open.push(sub);
      await eventually(() => first.commits.length === 2, 10_000, 'catch-up');
      const c = await h.store().append(s, [changed(2)], { expectedVersion: a.nextExpectedVersion });
      await eventually(() => first.commits.length === 3, 10_000, 'live commit');
      expect(positionsOf(first.commits)).toEqual([a.position, b.position, c.position]);
      expect(first.commits[0].map((e) => [e.indexInCommit, e.commitSize])).toEqual([[0, 2], [1, 2]]);
      await eventually(() => sub.lastPosition === c.position, 5_000, 'lastPosition');

      await sub.stop();
      await sub.closed;
      const d = await h.store().append(s, [changed(3)], { expectedVersion: c.nextExpectedVersion });
      const e = await h.store().append(s, [changed(4)], { expectedVersion: d.nextExpectedVersion });
      expect(first.commits).toHaveLength(3);

      const second = recorder();
      const resumed = await h.store().subscribe({ context: 'alpha', afterPosition: sub.lastPosition, onCommit: second.onCommit, onError: (err) => errors.push(err) });
      open.push(resumed);
      await eventually(() => second.commits.length === 2, 10_000, 'resumed commits');
      expect(positionsOf(second.commits)).toEqual([d.position, e.position]);
      expect(errors).toEqual([]);
    });

    it('hands over one commit at a time, in order, awaiting each handler', async () => {
      const base = await h.store().headPosition('alpha');
      const s = newItemStream();
      let version = 0;
      for (let i = 0; i < 5; i++) {
        version = (await h.store().append(s, [changed(i)], { expectedVersion: version === 0 ? 'no_stream' : version })).nextExpectedVersion;
      }
      let inFlight = 0;
      let maxInFlight = 0;
      const seen: number[] = [];
      const sub = await h.store().subscribe({
        context: 'alpha',
        afterPosition: base,
        onCommit: async (events) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 15));
          seen.push(events[0].position);
          inFlight--;
        },
      });
      open.push(sub);
      await eventually(() => seen.length === 5, 10_000, 'five commits');
      expect(maxInFlight).toBe(1);
      expect([...seen].sort((x, y) => x - y)).toEqual(seen);
      expect(seen[4]).toBe(version);
    });

    it('waits for the commit in progress on stop and delivers nothing afterwards', async () => {
      const base = await h.store().headPosition('alpha');
      const s = newItemStream();
      const first = await h.store().append(s, [created()], { expectedVersion: 'no_stream' });
      await h.store().append(s, [changed(1)], { expectedVersion: first.nextExpectedVersion });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const calls: number[] = [];
      const sub = await h.store().subscribe({
        context: 'alpha',
        afterPosition: base,
        onCommit: async (events) => {
          calls.push(events[0].position);
          await gate;
        },
      });
      await eventually(() => calls.length === 1, 10_000, 'first handler call');
      const stopping = sub.stop();
      release();
      await stopping;
      expect(sub.lastPosition).toBe(first.position);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(calls).toEqual([first.position]);
    });

    it('starting at the head delivers only new commits', async () => {
      await h.store().append(newItemStream(), [created()], { expectedVersion: 'no_stream' });
      const head = await h.store().headPosition('alpha');
      const rec = recorder();
      const sub = await h.store().subscribe({ context: 'alpha', afterPosition: head, onCommit: rec.onCommit });
      open.push(sub);
      expect(sub.lastPosition).toBe(head);
      const next = await h.store().append(newItemStream(), [created()], { expectedVersion: 'no_stream' });
      await eventually(() => rec.commits.length === 1, 10_000, 'the new commit');
      expect(positionsOf(rec.commits)).toEqual([next.position]);
    });

    it('stops and reports through onError when onCommit throws', async () => {
      const base = await h.store().headPosition('alpha');
      const s = newItemStream();
      const ok = await h.store().append(s, [created()], { expectedVersion: 'no_stream' });
      const bad = await h.store().append(s, [changed(1)], { expectedVersion: ok.nextExpectedVersion });
      const failure = new Error('projection failed');
      const errors: Error[] = [];
      const sub = await h.store().subscribe({
        context: 'alpha',
        afterPosition: base,
        onCommit: async (events) => {
          if (events[0].position === bad.position) throw failure;
        },
        onError: (err) => errors.push(err),
      });
      await sub.closed;
      expect(errors).toEqual([failure]);
      expect(sub.lastPosition).toBe(ok.position);
    });

    it('is stopped by closing its store', async () => {
      const other = await h.open(FULL_REGISTRY);
      try {
        const sub = await other.store.subscribe({ context: 'beta', onCommit: async () => undefined });
        await other.store.close();
        await sub.closed;
      } finally {
        await other.teardown();
      }
    });
  });
}
