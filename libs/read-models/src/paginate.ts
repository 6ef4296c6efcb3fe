import { ValidationError } from '@wasmbed/errors';
import type { ListOptions, Page, StoredDocument } from './document-store';

// Loads run in small parallel batches: enough to hide round trips to KV without
// fetching far past the page when the filter matches early.
const LOAD_BATCH = 16;

/** One page over `ids` in id order, loading documents lazily; shared by every store. */
export async function collectPage<T>(
  ids: Iterable<string>,
  options: ListOptions<T>,
  load: (id: string) => Promise<StoredDocument<T> | undefined>,
): Promise<Page<T>> {
  const { limit, cursor, filter } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be a positive integer, got ${limit}`, ['limit: invalid']);
  }
  const sorted = [...ids].sort();
  const candidates = cursor === undefined ? sorted : sorted.filter((id) => id > cursor);
  const items: StoredDocument<T>[] = [];
  for (let start = 0; start < candidates.length; start += LOAD_BATCH) {
    const batch = await Promise.all(candidates.slice(start, start + LOAD_BATCH).map(load));
    for (const [offset, stored] of batch.entries()) {
      if (stored === undefined || (filter && !filter(stored.doc, stored.id))) continue;
      items.push(stored);
      if (items.length === limit) {
        const more = start + offset + 1 < candidates.length;
        return more ? { items, nextCursor: stored.id } : { items };
      }
    }
  }
  return { items };
}
