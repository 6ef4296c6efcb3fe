import type { AppliedMarks, DocumentStore, ListOptions, Page, PutOptions, StoredDocument } from './document-store';
import { frozenJson } from './frozen-json';
import { collectPage } from './paginate';
import { assertCollection, assertDocumentRef, assertPosition, assertToken, notAJsonValue } from './validation';

interface Entry {
  readonly doc: unknown;
  readonly applied: AppliedMarks;
}

/**
 * A real in-process store for small read models that are rebuilt on every start:
 * nothing survives the process, so checkpoints start at 0 and the runner replays
 * the log.
 *
 * Documents are kept as the values JSON would give back, deep-frozen, and handed
 * out as they are: a read costs nothing, and a write walks only the parts the
 * previous version of the document did not already hold (see frozenJson). So
 * build each new version copy-on-write from the old one: what `put` receives is
 * frozen, and changing a document read from the store throws.
 */
export class MemoryDocumentStore implements DocumentStore {
  readonly #collections = new Map<string, Map<string, Entry>>();
  readonly #checkpoints = new Map<string, number>();

  async get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    assertDocumentRef(collection, id);
    return this.#read<T>(collection, id);
  }

  async put<T = unknown>(collection: string, id: string, doc: T, options: PutOptions): Promise<void> {
    assertDocumentRef(collection, id);
    const json = frozenJson(doc);
    if (json === undefined) throw notAJsonValue();
    let docs = this.#collections.get(collection);
    if (!docs) {
      docs = new Map();
      this.#collections.set(collection, docs);
    }
    docs.set(id, { doc: json, applied: frozenJson(options.applied) as AppliedMarks });
  }

  async delete(collection: string, id: string): Promise<void> {
    assertDocumentRef(collection, id);
    this.#collections.get(collection)?.delete(id);
  }

  async list<T = unknown>(collection: string, options: ListOptions<T>): Promise<Page<T>> {
    assertCollection(collection);
    const ids = this.#collections.get(collection)?.keys() ?? [];
    return collectPage(ids, options, async (id) => this.#read<T>(collection, id));
  }

  async getCheckpoint(context: string): Promise<number> {
    assertToken('context', context);
    return this.#checkpoints.get(context) ?? 0;
  }

  async setCheckpoint(context: string, position: number): Promise<void> {
    assertToken('context', context);
    assertPosition('checkpoint', position);
    this.#checkpoints.set(context, position);
  }

  async wipe(): Promise<void> {
    this.#collections.clear();
    this.#checkpoints.clear();
  }

  #read<T>(collection: string, id: string): StoredDocument<T> | undefined {
    const entry = this.#collections.get(collection)?.get(id);
    return entry && { id, doc: entry.doc as T, applied: entry.applied };
  }
}
