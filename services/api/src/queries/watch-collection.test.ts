import { getEventListeners } from 'node:events';
import type { ChangeKind } from '../projections/observed-document-store';
import { itemsFixture, type Item } from '../test-support/items-projection';
import { watchCollection } from './watch-collection';

type Seen = [ChangeKind, string, number];

/**
 * Runs a watch until `count` changes arrived; returns them as [kind, value, position].
 * `during` runs once the first `startAfter` changes (the snapshot) were sent.
 */
async function watchUntil(
  fixture: ReturnType<typeof itemsFixture>,
  count: number,
  matches: (doc: Item) => boolean,
  during: () => Promise<void>,
  startAfter = 0,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  const controller = new AbortController();
  let reached: () => void = () => undefined;
  let snapshotSent: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const started = new Promise<void>((resolve) => (snapshotSent = resolve));
  if (startAfter === 0) snapshotSent();
  const watching = watchCollection<Item>({
    store: fixture.store,
    collection: 'items',
    context: 'test',
    matches,
    signal: controller.signal,
    emit: async (kind, doc, position) => {
      seen.push([kind, doc.value, position]);
      if (seen.length === startAfter) snapshotSent();
      if (seen.length === count) reached();
    },
  });
  await started;
  await during();
  await enough;
  controller.abort();
  await watching;
  return seen;
}

describe('watchCollection', () => {
  it('sends the snapshot as added, then live changes', async () => {
    const fixture = itemsFixture();
    const p1 = await fixture.commit({ type: 'Set', data: { id: 'a', value: 'a1' } });
    let p2 = 0;
    let p3 = 0;
    const seen = await watchUntil(fixture, 3, () => true, async () => {
      p2 = await fixture.commit({ type: 'Set', data: { id: 'a', value: 'a2' } });
      p3 = await fixture.commit({ type: 'Remove', data: { id: 'a' } });
    }, 1);
    expect(seen).toEqual([
      ['added', 'a1', p1],
      ['modified', 'a2', p2],
      ['deleted', 'a2', p3],
    ]);
  });

  it('reports documents entering and leaving the filter as added and deleted', async () => {
    const fixture = itemsFixture();
    await fixture.commit({ type: 'Set', data: { id: 'a', value: 'hidden' } }, { type: 'Set', data: { id: 'c', value: 'shown-c' } });
    const seen = await watchUntil(
      fixture,
      4,
      (doc) => doc.value.startsWith('shown'),
      async () => {
        await fixture.commit({ type: 'Set', data: { id: 'a', value: 'shown-1' } });
        await fixture.commit({ type: 'Set', data: { id: 'a', value: 'shown-2' } });
        await fixture.commit({ type: 'Set', data: { id: 'b', value: 'hidden' } });
        await fixture.commit({ type: 'Set', data: { id: 'a', value: 'hidden-again' } });
      },
      1,
    );
    expect(seen.map(([kind, value]) => [kind, value])).toEqual([
      ['added', 'shown-c'],
      ['added', 'shown-1'],
      ['modified', 'shown-2'],
      ['deleted', 'hidden-again'],
    ]);
  });

  it('does not pile up abort listeners over a long watch', async () => {
    const fixture = itemsFixture();
    const controller = new AbortController();
    let sent = 0;
    const watching = watchCollection<Item>({
      store: fixture.store,
      collection: 'items',
      context: 'test',
      matches: () => true,
      signal: controller.signal,
      emit: async () => {
        sent += 1;
      },
    });
    for (let i = 0; i < 25; i += 1) {
      await fixture.commit({ type: 'Set', data: { id: 'a', value: String(i) } });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(sent).toBe(25);
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
    controller.abort();
    await watching;
  });

  it('ends when the signal aborts, even while waiting for changes', async () => {
    const fixture = itemsFixture();
    const controller = new AbortController();
    const watching = watchCollection<Item>({ store: fixture.store, collection: 'items', context: 'test', matches: () => true, signal: controller.signal, emit: async () => undefined });
    setTimeout(() => controller.abort(), 10);
    await expect(watching).resolves.toBeUndefined();
  });
});
