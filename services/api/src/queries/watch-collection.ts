import type { StoredDocument } from '@wasmbed/read-models';
import type { ChangeKind, DocumentChange, ObservedDocumentStore } from '../projections/observed-document-store';
import { allDocuments } from './collection-pages';

export interface WatchOptions<D> {
  readonly store: ObservedDocumentStore;
  readonly collection: string;
  /** Context whose positions the documents' changes carry. */
  readonly context: string;
  readonly matches: (doc: D) => boolean;
  /** Ends the watch. */
  readonly signal: AbortSignal;
  /** Awaited before the next change is sent: a slow client slows its own watch only. */
  readonly emit: (kind: ChangeKind, doc: D, position: number) => Promise<void>;
}

/**
 * The matching documents as `added`, then every later change until `signal`
 * aborts. A document that stops matching is reported `deleted` and one that
 * starts matching `added`, as seen by this watcher. Changes are collected from
 * before the snapshot is read, and those the snapshot already shows are
 * dropped, so nothing is missed or sent twice.
 */
export async function watchCollection<D>(options: WatchOptions<D>): Promise<void> {
  const { store, collection, context, matches, signal, emit } = options;
  const queue: DocumentChange[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = store.subscribe((change) => {
    if (change.collection !== collection) return;
    queue.push(change);
    wake?.();
  });
  try {
    // Per document: position of the newest state this watcher has accounted for.
    const seen = new Map<string, number>();
    const visible = new Set<string>();
    for await (const stored of allDocuments<D>(store, collection)) {
      if (signal.aborted) return;
      const position = positionOf(stored, context);
      seen.set(stored.id, position);
      if (!matches(stored.doc)) continue;
      visible.add(stored.id);
      await emit('added', stored.doc, position);
    }
    while (!signal.aborted) {
      const change = queue.shift();
      if (change === undefined) {
        // One listener per wait, removed again: a long watch must not pile them up on the signal.
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            wake = undefined;
            resolve();
          };
          wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
        continue;
      }
      if (change.position <= (seen.get(change.id) ?? 0)) continue;
      seen.set(change.id, change.position);
      const doc = change.doc as D;
      if (change.kind !== 'deleted' && matches(doc)) {
        await emit(visible.has(change.id) ? 'modified' : 'added', doc, change.position);
        visible.add(change.id);
      } else if (visible.delete(change.id)) {
        await emit('deleted', doc, change.position);
      }
    }
  } finally {
    unsubscribe();
  }
}

function positionOf(stored: StoredDocument, context: string): number {
  return stored.applied[context]?.position ?? 0;
}
