import { describeDocumentStoreBehaviour } from './document-store.behaviour';
import { MemoryDocumentStore } from './memory-document-store';

describe('MemoryDocumentStore', () => {
  describeDocumentStoreBehaviour(async () => new MemoryDocumentStore());

  it('is empty in a new instance: nothing outlives the process', async () => {
    const first = new MemoryDocumentStore();
    await first.put('devices', 'd1', {}, { applied: {} });
    await first.setCheckpoint('fleet', 4);
    const second = new MemoryDocumentStore();
    await expect(second.get('devices', 'd1')).resolves.toBeUndefined();
    await expect(second.getCheckpoint('fleet')).resolves.toBe(0);
  });
});
