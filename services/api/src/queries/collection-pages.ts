import type { DocumentStore, StoredDocument } from '@wasmbed/read-models';
import { decodePageToken, encodePageToken, resolvePageSize } from './page-token';

// Large enough that a full scan costs few calls, small enough to stay cheap on KV.
const SCAN_PAGE = 500;

/** Every document of a collection, in name order. */
export async function* allDocuments<D>(store: DocumentStore, collection: string): AsyncGenerator<StoredDocument<D>> {
  let cursor: string | undefined;
  do {
    const page = await store.list<D>(collection, { limit: SCAN_PAGE, cursor });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

export interface PageRequest {
  readonly pageSize: number;
  readonly pageToken: string;
}

/** Which documents a query wants, and the request values that say so (they bind the page token). */
export interface DocumentFilter<D> {
  readonly matches: (doc: D) => boolean;
  readonly key: Readonly<Record<string, unknown>>;
}

export interface DocumentPage<D> {
  readonly docs: D[];
  /** Empty on the last page. */
  readonly nextPageToken: string;
}

/**
 * One page of matching documents in name order, continuing after the token's
 * name. One extra match is fetched so a token is only handed out when another
 * page really exists.
 */
export async function listPage<D>(store: DocumentStore, collection: string, filter: DocumentFilter<D>, request: PageRequest): Promise<DocumentPage<D>> {
  const limit = resolvePageSize(request.pageSize);
  const cursor = decodePageToken(request.pageToken, filter.key);
  const page = await store.list<D>(collection, { limit: limit + 1, cursor, filter: filter.matches });
  if (page.items.length <= limit) return { docs: page.items.map((item) => item.doc), nextPageToken: '' };
  const items = page.items.slice(0, limit);
  return { docs: items.map((item) => item.doc), nextPageToken: encodePageToken(items[limit - 1].id, filter.key) };
}
