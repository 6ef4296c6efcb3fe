import { ValidationError } from '@wasmbed/errors';
import type { DocumentStore } from './document-store';

/**
 * The behaviour every DocumentStore must have. Run by the memory store's unit
 * test and the KV store's integration test, so both stay interchangeable.
 * `open` must return an empty store each time.
 */
export function describeDocumentStoreBehaviour(open: () => Promise<DocumentStore>): void {
  let store: DocumentStore;
  beforeEach(async () => {
    store = await open();
  });

  const mark = (position: number, index = 0) => ({ fleet: { position, index } });

  describe('documents', () => {
    it('returns undefined for a missing document', async () => {
      await expect(store.get('devices', 'nope')).resolves.toBeUndefined();
    });

    it('stores a document with its applied marks and overwrites it', async () => {
      await store.put('devices', 'd1', { phase: 'enrolled', tags: ['a'] }, { applied: mark(3) });
      await expect(store.get('devices', 'd1')).resolves.toEqual({
        id: 'd1',
        doc: { phase: 'enrolled', tags: ['a'] },
        applied: { fleet: { position: 3, index: 0 } },
      });
      await store.put('devices', 'd1', { phase: 'connected' }, { applied: { ...mark(5, 1), apps: { position: 2, index: 0 } } });
      await expect(store.get('devices', 'd1')).resolves.toEqual({
        id: 'd1',
        doc: { phase: 'connected' },
        applied: { fleet: { position: 5, index: 1 }, apps: { position: 2, index: 0 } },
      });
    });

    it('never lets a stored document change through a reference to it (a copy, or frozen)', async () => {
      const doc = { nested: { n: 1 } };
      await store.put('devices', 'd1', doc, { applied: mark(1) });
      changeIfAllowed(() => (doc.nested.n = 99));
      const first = await store.get<{ nested: { n: number } }>('devices', 'd1');
      changeIfAllowed(() => (first!.doc.nested.n = 42));
      await expect(store.get('devices', 'd1')).resolves.toMatchObject({ doc: { nested: { n: 1 } } });
    });

    it('keeps documents as JSON', async () => {
      await store.put('devices', 'd1', { a: 1, gone: undefined, when: new Date('2024-01-02T03:04:05.000Z') }, { applied: mark(1) });
      await expect(store.get('devices', 'd1')).resolves.toMatchObject({ doc: { a: 1, when: '2024-01-02T03:04:05.000Z' } });
      await store.put('devices', 'scalar', 7, { applied: mark(2) });
      await expect(store.get('devices', 'scalar')).resolves.toMatchObject({ doc: 7 });
      await expect(store.put('devices', 'd2', undefined, { applied: mark(3) })).rejects.toBeInstanceOf(ValidationError);
    });

    it('accepts any non-empty id, including dots, spaces, "=" and non-ASCII', async () => {
      const ids = ['a.b.c', 'with space', 'x=41', 'ünï/cødé', '>', '*', 'plain-id_1'];
      for (const [i, id] of ids.entries()) await store.put('devices', id, { i }, { applied: mark(i + 1) });
      for (const [i, id] of ids.entries()) await expect(store.get('devices', id)).resolves.toMatchObject({ id, doc: { i } });
      const page = await store.list('devices', { limit: 100 });
      expect(page.items.map((item) => item.id)).toEqual([...ids].sort());
      await expect(store.get('devices', '')).rejects.toBeInstanceOf(ValidationError);
    });

    it('keeps collections apart', async () => {
      await store.put('devices', 'x', { kind: 'device' }, { applied: mark(1) });
      await store.put('apps', 'x', { kind: 'app' }, { applied: mark(2) });
      await expect(store.get('devices', 'x')).resolves.toMatchObject({ doc: { kind: 'device' } });
      await expect(store.get('apps', 'x')).resolves.toMatchObject({ doc: { kind: 'app' } });
      await store.delete('apps', 'x');
      await expect(store.get('devices', 'x')).resolves.toBeDefined();
      await expect(store.list('apps', { limit: 10 })).resolves.toEqual({ items: [] });
    });

    it('deletes documents; deleting a missing one is a no-op', async () => {
      await store.put('devices', 'd1', { a: 1 }, { applied: mark(1) });
      await store.delete('devices', 'd1');
      await store.delete('devices', 'never-there');
      await expect(store.get('devices', 'd1')).resolves.toBeUndefined();
      await expect(store.list('devices', { limit: 10 })).resolves.toEqual({ items: [] });
      await store.put('devices', 'd1', { a: 2 }, { applied: mark(4) });
      await expect(store.get('devices', 'd1')).resolves.toMatchObject({ doc: { a: 2 } });
    });

    it('rejects collection names outside [A-Za-z0-9_-] or starting with "_"', async () => {
      for (const collection of ['', 'a.b', '_checkpoint', 'a b', 'a>']) {
        await expect(store.put(collection, 'x', {}, { applied: mark(1) })).rejects.toBeInstanceOf(ValidationError);
        await expect(store.list(collection, { limit: 1 })).rejects.toBeInstanceOf(ValidationError);
      }
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      for (let n = 1; n <= 7; n += 1) {
        await store.put('devices', `dev-${n}`, { n, even: n % 2 === 0 }, { applied: mark(n) });
      }
    });

    it('pages in id order with a cursor until no cursor is returned', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list<{ n: number }>('devices', { limit: 3, cursor });
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined);
      expect(seen).toEqual(['dev-1', 'dev-2', 'dev-3', 'dev-4', 'dev-5', 'dev-6', 'dev-7']);
      expect(pages).toBe(3);
    });

    it('returns no cursor when the page ends exactly at the last document', async () => {
      const page = await store.list('devices', { limit: 7 });
      expect(page.items).toHaveLength(7);
      expect(page.nextCursor).toBeUndefined();
    });

    it('filters documents and pages over the matches', async () => {
      const first = await store.list<{ n: number; even: boolean }>('devices', { limit: 2, filter: (doc) => doc.even });
      expect(first.items.map((item) => item.doc.n)).toEqual([2, 4]);
      const second = await store.list<{ n: number; even: boolean }>('devices', {
        limit: 2,
        filter: (doc) => doc.even,
        cursor: first.nextCursor,
      });
      expect(second.items.map((item) => item.doc.n)).toEqual([6]);
      expect(second.nextCursor).toBeUndefined();
      const byId = await store.list('devices', { limit: 10, filter: (_doc, id) => id.endsWith('-3') });
      expect(byId.items.map((item) => item.id)).toEqual(['dev-3']);
    });

    it('includes stored applied marks in listed items', async () => {
      const page = await store.list('devices', { limit: 1 });
      expect(page.items[0]).toEqual({ id: 'dev-1', doc: { n: 1, even: false }, applied: { fleet: { position: 1, index: 0 } } });
    });

    it('rejects a limit below 1', async () => {
      await expect(store.list('devices', { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(store.list('devices', { limit: 1.5 })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('checkpoints and wipe', () => {
    it('starts every context at 0 and keeps contexts apart', async () => {
      await expect(store.getCheckpoint('fleet')).resolves.toBe(0);
      await store.setCheckpoint('fleet', 12);
      await store.setCheckpoint('apps', 3);
      await expect(store.getCheckpoint('fleet')).resolves.toBe(12);
      await expect(store.getCheckpoint('apps')).resolves.toBe(3);
      await store.setCheckpoint('fleet', 13);
      await expect(store.getCheckpoint('fleet')).resolves.toBe(13);
    });

    it('rejects bad contexts and positions', async () => {
      await expect(store.setCheckpoint('fleet', -1)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.setCheckpoint('fleet', 1.5)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.setCheckpoint('a.b', 1)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.getCheckpoint('')).rejects.toBeInstanceOf(ValidationError);
    });

    it('does not list checkpoints as documents', async () => {
      await store.setCheckpoint('fleet', 5);
      await store.put('checkpoint', 'fleet', { real: true }, { applied: mark(1) });
      await expect(store.list('checkpoint', { limit: 10 })).resolves.toMatchObject({ items: [{ id: 'fleet' }] });
    });

    it('wipe removes every document and checkpoint and leaves the store usable', async () => {
      await store.put('devices', 'd1', { a: 1 }, { applied: mark(1) });
      await store.put('apps', 'a1', { b: 1 }, { applied: mark(2) });
      await store.setCheckpoint('fleet', 9);
      await store.wipe();
      await expect(store.get('devices', 'd1')).resolves.toBeUndefined();
      await expect(store.list('apps', { limit: 10 })).resolves.toEqual({ items: [] });
      await expect(store.getCheckpoint('fleet')).resolves.toBe(0);
      await store.put('devices', 'd1', { a: 2 }, { applied: mark(1) });
      await store.setCheckpoint('fleet', 1);
      await expect(store.get('devices', 'd1')).resolves.toMatchObject({ doc: { a: 2 } });
      await expect(store.getCheckpoint('fleet')).resolves.toBe(1);
    });
  });
}

/** Runs a change a store may refuse by freezing what it holds (strict mode: a TypeError). */
function changeIfAllowed(change: () => void): void {
  try {
    change();
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
  }
}
