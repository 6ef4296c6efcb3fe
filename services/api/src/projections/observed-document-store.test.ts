import { itemsFixture } from '../test-support/items-projection';
import type { DocumentChange } from './observed-document-store';

describe('ObservedDocumentStore with observeCommits', () => {
  it('publishes one net change per document per commit', async () => {
    const { store, commit } = itemsFixture();
    const changes: DocumentChange[] = [];
    store.subscribe((c) => changes.push(c));

    const p1 = await commit({ type: 'Set', data: { id: 'a', value: '1' } }, { type: 'Set', data: { id: 'a', value: '2' } }, { type: 'Set', data: { id: 'b', value: '1' } });
    const p2 = await commit({ type: 'Set', data: { id: 'a', value: '3' } }, { type: 'Remove', data: { id: 'b' } });
    // Created and removed in one commit: nothing to tell.
    await commit({ type: 'Set', data: { id: 'c', value: '1' } }, { type: 'Remove', data: { id: 'c' } });

    expect(changes).toEqual([
      { collection: 'items', id: 'a', kind: 'added', doc: { value: '2' }, position: p1 },
      { collection: 'items', id: 'b', kind: 'added', doc: { value: '1' }, position: p1 },
      { collection: 'items', id: 'a', kind: 'modified', doc: { value: '3' }, position: p2 },
      { collection: 'items', id: 'b', kind: 'deleted', doc: { value: '1' }, position: p2 },
    ]);
  });

  it('publishes nothing of a commit whose handler failed, and stops telling unsubscribed listeners', async () => {
    const { store, commit } = itemsFixture();
    const changes: DocumentChange[] = [];
    const unsubscribe = store.subscribe((c) => changes.push(c));
    await expect(commit({ type: 'Set', data: { id: 'a', value: '1' } }, { type: 'Set', data: { id: 'b', value: 'boom' } })).rejects.toThrow('handler failed');
    await commit({ type: 'Set', data: { id: 'z', value: '1' } });
    unsubscribe();
    await commit({ type: 'Set', data: { id: 'y', value: '1' } });
    expect(changes.map((c) => c.id)).toEqual(['z']);
  });
});
