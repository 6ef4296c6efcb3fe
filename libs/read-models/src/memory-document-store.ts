import type { DocumentStore, ListOptions, Page, PutOptions, StoredDocument } from './document-store';
import { assertCollection, assertDocumentRef, assertPosition, assertToken, toJson } from './validation';
import { collectPage } from './paginate';

interface Entry {
  readonly json: string;
  readonly applied: StoredDocument['applied'];
}

/**
 * A real in-process store for small read models that are rebuilt on every start:
 * nothing survives the process, so checkpoints start at 0 and the runner replays
 * the log. Documents are kept as JSON so they behave exactly like the KV store's
 * (no shared references, same value round-trip).
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
    let docs = this.#collections.get(collection);
    if (!docs) {
      docs = new Map();
      this.#collections.set(collection, docs);
    }
    docs.set(id, { json: toJson(doc), applied: structuredClone(options.applied) });
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
    if (!entry) return undefined;
    return { id, doc: JSON.parse(entry.json) as T, applied: structuredClone(entry.applied) };
  }
}
