import { MemoryDocumentStore } from '@wasmbed/read-models';
import { ObservedDocumentStore } from '../projections/observed-document-store';
import { ResourceReader } from '../queries/resource-reader';
import { ReadModelGate, ReadModelsRebuilding } from './read-model-gate';

describe('ReadModelGate', () => {
  const gate = new ReadModelGate();
  const store = new ObservedDocumentStore(new MemoryDocumentStore());
  const reader = new ResourceReader<{ v: number }, number>({ resource: 'device', store, collection: 'items', context: 'test', toMessage: (d) => d.v, gate });
  const everything = { matches: () => true, key: {} };

  it('answers every read with UNAVAILABLE while closed, and tells listeners', async () => {
    const seen: boolean[] = [];
    const unsubscribe = gate.onChange((open) => seen.push(open));
    gate.close(new Date('2025-03-01T12:00:00.000Z'));
    const rebuilding = new ReadModelsRebuilding('2025-03-01T12:00:00.000Z');
    await expect(reader.find('x')).rejects.toEqual(rebuilding);
    await expect(reader.get('x')).rejects.toEqual(rebuilding);
    await expect(reader.documents()).rejects.toEqual(rebuilding);
    await expect(reader.list(everything, { pageSize: 0, pageToken: '' })).rejects.toEqual(rebuilding);
    await expect(reader.watch(everything, new AbortController().signal, async () => undefined)).rejects.toMatchObject({ code: 'unavailable' });
    expect(rebuilding.message).toBe('the read models are being rebuilt (since 2025-03-01T12:00:00.000Z); retry in a moment');

    gate.reopen();
    await expect(reader.find('x')).resolves.toBeUndefined();
    expect(seen).toEqual([false, true]);
    unsubscribe();
  });
});
