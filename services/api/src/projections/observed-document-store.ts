import type { DocumentStore, ListOptions, Page, PutOptions, StoredDocument } from '@wasmbed/read-models';

export type ChangeKind = 'added' | 'modified' | 'deleted';

/** One document's net change over one commit. */
export interface DocumentChange<T = unknown> {
  readonly collection: string;
  readonly id: string;
  readonly kind: ChangeKind;
  /** The new state, or the last known state when deleted. */
  readonly doc: T;
  /** Position of the commit in the projection's context log. */
  readonly position: number;
}

export type ChangeListener = (change: DocumentChange) => void;

/**
 * A DocumentStore that tells listeners what each commit changed. Writes are
 * collected while a commit is applied and published once it ends (see
 * observeCommits), so a commit that writes a document twice yields one change,
 * and watchers never see a half-applied commit. Only writes that reach the
 * store count: the runner drops redelivered ones before they get here.
 */
export class ObservedDocumentStore implements DocumentStore {
  readonly #inner: DocumentStore;
  readonly #listeners = new Set<ChangeListener>();
  /** Documents touched by the commit in progress, with their state before it. */
  readonly #pending = new Map<string, { collection: string; id: string; before: unknown }>();

  constructor(inner: DocumentStore) {
    this.#inner = inner;
  }

  /** Returns the function that unsubscribes. Listeners must not throw. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined> {
    return this.#inner.get<T>(collection, id);
  }

  list<T = unknown>(collection: string, options: ListOptions<T>): Promise<Page<T>> {
    return this.#inner.list<T>(collection, options);
  }

  async put<T = unknown>(collection: string, id: string, doc: T, options: PutOptions): Promise<void> {
    await this.#remember(collection, id);
    await this.#inner.put(collection, id, doc, options);
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.#remember(collection, id);
    await this.#inner.delete(collection, id);
  }

  getCheckpoint(context: string): Promise<number> {
    return this.#inner.getCheckpoint(context);
  }

  setCheckpoint(context: string, position: number): Promise<void> {
    return this.#inner.setCheckpoint(context, position);
  }

  async wipe(): Promise<void> {
    this.#pending.clear();
    await this.#inner.wipe();
  }

  /** Publishes the net change of every document the finished commit at `position` touched. */
  async publish(position: number): Promise<void> {
    const touched = [...this.#pending.values()];
    this.#pending.clear();
    for (const { collection, id, before } of touched) {
      const after = (await this.#inner.get(collection, id))?.doc;
      const change = netChange(collection, id, before, after, position);
      if (change) for (const listener of this.#listeners) listener(change);
    }
  }

  /** Forgets the writes of a commit that failed half-way: it will be applied again. */
  discard(): void {
    this.#pending.clear();
  }

  async #remember(collection: string, id: string): Promise<void> {
    const key = `${collection}\u0000${id}`;
    if (this.#pending.has(key)) return;
    const before = (await this.#inner.get(collection, id))?.doc;
    this.#pending.set(key, { collection, id, before });
  }
}

function netChange(collection: string, id: string, before: unknown, after: unknown, position: number): DocumentChange | undefined {
  if (after !== undefined) return { collection, id, kind: before === undefined ? 'added' : 'modified', doc: after, position };
  if (before !== undefined) return { collection, id, kind: 'deleted', doc: before, position };
  return undefined;
}
