import type { AppliedMarks, DocumentStore, EventMark, ListOptions, Page } from './document-store';
import { hasApplied, withMark } from './event-mark';
import type { ProjectionDocuments } from './projection';

/**
 * The handler's view of the store while one commit is applied. Each write is
 * checked against the document's `applied` mark for this context: a document
 * that already holds the event (or a later one) is left alone. That is the whole
 * idempotency story; checkpoints only shorten the replay.
 */
export class CommitDocuments {
  /** Documents whose writes were dropped because they already held the event. */
  skippedWrites = 0;
  // What this commit knows of each touched document's marks (null: absent), so a
  // get-then-put costs one read.
  readonly #known = new Map<string, AppliedMarks | null>();

  constructor(
    private readonly store: DocumentStore,
    private readonly context: string,
  ) {}

  forEvent(mark: EventMark): ProjectionDocuments {
    return {
      get: (collection, id) => this.#get(collection, id),
      put: (collection, id, doc) => this.#put(collection, id, doc, mark),
      delete: (collection, id) => this.#delete(collection, id, mark),
      list: <T>(collection: string, options: ListOptions<T>): Promise<Page<T>> => this.store.list<T>(collection, options),
    };
  }

  async #get<T>(collection: string, id: string): Promise<T | undefined> {
    const stored = await this.store.get<T>(collection, id);
    this.#known.set(cacheKey(collection, id), stored?.applied ?? null);
    return stored?.doc;
  }

  async #put<T>(collection: string, id: string, doc: T, mark: EventMark): Promise<void> {
    const applied = await this.#marksOf(collection, id);
    if (hasApplied(applied ?? undefined, this.context, mark)) {
      this.skippedWrites += 1;
      return;
    }
    const next = withMark(applied ?? undefined, this.context, mark);
    await this.store.put(collection, id, doc, { applied: next });
    this.#known.set(cacheKey(collection, id), next);
  }

  async #delete(collection: string, id: string, mark: EventMark): Promise<void> {
    const applied = await this.#marksOf(collection, id);
    if (applied === null) return;
    if (hasApplied(applied, this.context, mark)) {
      this.skippedWrites += 1;
      return;
    }
    await this.store.delete(collection, id);
    this.#known.set(cacheKey(collection, id), null);
  }

  async #marksOf(collection: string, id: string): Promise<AppliedMarks | null> {
    const key = cacheKey(collection, id);
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const stored = await this.store.get(collection, id);
    const applied = stored?.applied ?? null;
    this.#known.set(key, applied);
    return applied;
  }
}

function cacheKey(collection: string, id: string): string {
  // Collections cannot contain NUL, so this cannot collide.
  return `${collection}\u0000${id}`;
}
