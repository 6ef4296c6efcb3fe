import { randomUUID } from 'node:crypto';

/** Every item of a paged List* call: pages are requested until next_page_token is empty. */
export async function collectPages<T>(fetchPage: (pageToken: string) => Promise<{ items: readonly T[]; nextPageToken: string }>): Promise<T[]> {
  const items: T[] = [];
  let pageToken = '';
  do {
    const page = await fetchPage(pageToken);
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  return items;
}

/**
 * The fields every command request starts with: a fresh idempotency key (a
 * retried call cannot apply twice) and no version check.
 */
export function commandFields(): { commandId: string; expectedVersion: number } {
  return { commandId: randomUUID(), expectedVersion: 0 };
}
