/**
 * Storage for read models. A projection owns one DocumentStore (one KV bucket,
 * or one in-process map); its documents live in named collections.
 *
 * Every stored document carries `applied`: per bounded context, the last event
 * written into it. The runner uses it to skip writes an earlier, interrupted run
 * already made, which is what makes at-least-once delivery idempotent. Positions
 * are per context (each context is its own log), hence a map and not one number.
 */

/** Where an event sits: the commit's position in its context log and its index in the commit. */
export interface EventMark {
  readonly position: number;
  readonly index: number;
}

/** Per bounded context, the last event applied to a document. */
export type AppliedMarks = Readonly<Record<string, EventMark>>;

export interface StoredDocument<T = unknown> {
  readonly id: string;
  readonly doc: T;
  readonly applied: AppliedMarks;
}

export interface PutOptions {
  readonly applied: AppliedMarks;
}

export interface ListOptions<T = unknown> {
  /** Keeps only the documents it returns true for (evaluated in the client). */
  readonly filter?: (doc: T, id: string) => boolean;
  /** Maximum number of items in the page (at least 1). */
  readonly limit: number;
  /** `nextCursor` of the previous page; pages are ordered by id. */
  readonly cursor?: string;
}

export interface Page<T = unknown> {
  readonly items: StoredDocument<T>[];
  /** Set when more ids follow the last item; a following page may still be empty under a filter. */
  readonly nextCursor?: string;
}

export interface DocumentStore {
  get<T = unknown>(collection: string, id: string): Promise<StoredDocument<T> | undefined>;
  /** Documents are stored as JSON: values that JSON cannot carry (undefined, Date) do not round-trip. */
  put<T = unknown>(collection: string, id: string, doc: T, options: PutOptions): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  list<T = unknown>(collection: string, options: ListOptions<T>): Promise<Page<T>>;
  /** Last completed commit position for a context (0 when none). */
  getCheckpoint(context: string): Promise<number>;
  setCheckpoint(context: string, position: number): Promise<void>;
  /** Removes every document and checkpoint (used by rebuild). */
  wipe(): Promise<void>;
}
