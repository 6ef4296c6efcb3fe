// Test-only: a minimal projection over an observed store, to exercise change publication and watches.
import { defineProjection, MemoryDocumentStore } from '@wasmbed/read-models';
import { observeCommits } from '../projections/observe-commits';
import { ObservedDocumentStore } from '../projections/observed-document-store';
import { ProjectionDriver } from './projection-driver';

export type ItemEvent = { type: 'Set'; data: { id: string; value: string } } | { type: 'Remove'; data: { id: string } };
export interface Item {
  readonly value: string;
}

const items = defineProjection<ItemEvent>({
  name: 'items',
  contexts: ['test'],
  async handle(event, documents) {
    if (event.type === 'Set') {
      const data = event.data as { id: string; value: string };
      if (data.value === 'boom') throw new Error('handler failed');
      await documents.put<Item>('items', data.id, { value: data.value });
    } else {
      await documents.delete('items', (event.data as { id: string }).id);
    }
  },
});

export function itemsFixture() {
  const store = new ObservedDocumentStore(new MemoryDocumentStore());
  const driver = new ProjectionDriver(observeCommits(items, store), store, 'test');
  const commit = (...events: ItemEvent[]) => driver.commit({ aggregateType: 'item', aggregateId: 'x' }, events);
  return { store, commit };
}
