import { CommitDocuments } from './commit-documents';
import type { DocumentStore, EventMark } from './document-store';
import { MemoryDocumentStore } from './memory-document-store';
import type { ProjectionDocuments } from './projection';

/** The typical non-idempotent read-model update: without marks a redelivery would double it. */
async function increment(documents: ProjectionDocuments, id: string): Promise<void> {
  const current = await documents.get<{ count: number }>('counters', id);
  await documents.put('counters', id, { count: (current?.count ?? 0) + 1 });
}

async function countOf(store: MemoryDocumentStore, id: string): Promise<number | undefined> {
  return (await store.get<{ count: number }>('counters', id))?.doc.count;
}

/** Applies the given events of one commit the way the runner does. */
async function applyCommit(store: MemoryDocumentStore, context: string, marks: EventMark[], ids: string[]): Promise<number> {
  const commit = new CommitDocuments(store, context);
  for (const [i, mark] of marks.entries()) await increment(commit.forEvent(mark), ids[i]!);
  return commit.skippedWrites;
}

describe('CommitDocuments (idempotent writes)', () => {
  let store: MemoryDocumentStore;
  beforeEach(() => {
    store = new MemoryDocumentStore();
  });

  it('writes the document with the mark of the event that produced it', async () => {
    await applyCommit(store, 'fleet', [{ position: 4, index: 0 }], ['a']);
    await expect(store.get('counters', 'a')).resolves.toEqual({
      id: 'a',
      doc: { count: 1 },
      applied: { fleet: { position: 4, index: 0 } },
    });
  });

  it('skips a redelivered commit: the count is not doubled', async () => {
    const marks = [{ position: 4, index: 0 }];
    expect(await applyCommit(store, 'fleet', marks, ['a'])).toBe(0);
    expect(await applyCommit(store, 'fleet', marks, ['a'])).toBe(1);
    expect(await countOf(store, 'a')).toBe(1);
    await applyCommit(store, 'fleet', [{ position: 6, index: 0 }], ['a']);
    expect(await countOf(store, 'a')).toBe(2);
  });

  it('applies every event of one commit to the same document', async () => {
    const marks = [0, 1, 2].map((index) => ({ position: 9, index }));
    await applyCommit(store, 'fleet', marks, ['a', 'a', 'a']);
    expect(await countOf(store, 'a')).toBe(3);
    expect(await applyCommit(store, 'fleet', marks, ['a', 'a', 'a'])).toBe(3);
    expect(await countOf(store, 'a')).toBe(3);
  });

  it('finishes a commit that was cut short: done events are skipped, the rest applied', async () => {
    // Crash after the first event of commit 9 was written.
    await applyCommit(store, 'fleet', [{ position: 9, index: 0 }], ['a']);
    const skipped = await applyCommit(store, 'fleet', [0, 1].map((index) => ({ position: 9, index })), ['a', 'b']);
    expect(skipped).toBe(1);
    expect(await countOf(store, 'a')).toBe(1);
    expect(await countOf(store, 'b')).toBe(1);
  });

  it('keeps marks per context: a low position of another context still applies', async () => {
    await applyCommit(store, 'fleet', [{ position: 100, index: 0 }], ['a']);
    await applyCommit(store, 'apps', [{ position: 5, index: 0 }], ['a']);
    await expect(store.get('counters', 'a')).resolves.toMatchObject({
      doc: { count: 2 },
      applied: { fleet: { position: 100, index: 0 }, apps: { position: 5, index: 0 } },
    });
    expect(await applyCommit(store, 'apps', [{ position: 5, index: 0 }], ['a'])).toBe(1);
  });

  it('deletes only documents that do not already hold the event', async () => {
    await applyCommit(store, 'fleet', [{ position: 8, index: 0 }], ['a']);
    const stale = new CommitDocuments(store, 'fleet');
    await stale.forEvent({ position: 7, index: 0 }).delete('counters', 'a');
    expect(stale.skippedWrites).toBe(1);
    expect(await countOf(store, 'a')).toBe(1);

    const fresh = new CommitDocuments(store, 'fleet');
    await fresh.forEvent({ position: 9, index: 0 }).delete('counters', 'a');
    await fresh.forEvent({ position: 9, index: 1 }).delete('counters', 'never-there');
    expect(fresh.skippedWrites).toBe(0);
    await expect(store.get('counters', 'a')).resolves.toBeUndefined();
  });

  it('reads each document once for a get-then-put', async () => {
    let reads = 0;
    const counting: DocumentStore = {
      get: (collection, id) => {
        reads += 1;
        return store.get(collection, id);
      },
      put: (collection, id, doc, options) => store.put(collection, id, doc, options),
      delete: (collection, id) => store.delete(collection, id),
      list: (collection, options) => store.list(collection, options),
      getCheckpoint: (context) => store.getCheckpoint(context),
      setCheckpoint: (context, position) => store.setCheckpoint(context, position),
      wipe: () => store.wipe(),
    };
    const commit = new CommitDocuments(counting, 'fleet');
    await increment(commit.forEvent({ position: 1, index: 0 }), 'a');
    await increment(commit.forEvent({ position: 1, index: 1 }), 'a');
    await commit.forEvent({ position: 1, index: 2 }).put('counters', 'blind', { count: 0 });
    expect(reads).toBe(3); // one per handler get, one for the blind put; none for the puts after a get
    expect(await countOf(store, 'a')).toBe(2);
  });

  it('lists the store as it is', async () => {
    await applyCommit(store, 'fleet', [{ position: 1, index: 0 }, { position: 1, index: 1 }], ['a', 'b']);
    const commit = new CommitDocuments(store, 'fleet');
    const page = await commit.forEvent({ position: 2, index: 0 }).list('counters', { limit: 10 });
    expect(page.items.map((item) => item.id)).toEqual(['a', 'b']);
  });
});
