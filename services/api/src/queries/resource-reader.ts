import type { ReadModelGate } from '../admin/read-model-gate';
import { ResourceNotFound } from '../errors';
import type { ChangeKind, ObservedDocumentStore } from '../projections/observed-document-store';
import { allDocuments, listPage, type DocumentFilter, type PageRequest } from './collection-pages';
import { watchCollection } from './watch-collection';

export interface ResourceReaderOptions<D, M> {
  readonly resource: ResourceNotFound['resource'];
  readonly store: ObservedDocumentStore;
  readonly collection: string;
  readonly context: string;
  readonly toMessage: (doc: D) => M | Promise<M>;
  /** Closed during a rebuild: every read answers UNAVAILABLE then. */
  readonly gate: ReadModelGate;
}

/** Get, List and Watch over one read-model collection, answering with API messages. */
export class ResourceReader<D, M> {
  constructor(private readonly options: ResourceReaderOptions<D, M>) {}

  /** The document, or undefined; for callers that decide themselves what absence means. */
  async find(name: string): Promise<D | undefined> {
    this.options.gate.assertOpen();
    return (await this.options.store.get<D>(this.options.collection, name))?.doc;
  }

  /** Every document, in name order. */
  async documents(): Promise<{ id: string; doc: D }[]> {
    this.options.gate.assertOpen();
    const docs: { id: string; doc: D }[] = [];
    for await (const { id, doc } of allDocuments<D>(this.options.store, this.options.collection)) docs.push({ id, doc });
    return docs;
  }

  async get(name: string): Promise<M> {
    const doc = await this.find(name);
    if (doc === undefined) throw new ResourceNotFound(this.options.resource, [name]);
    return this.options.toMessage(doc);
  }

  async list(filter: DocumentFilter<D>, request: PageRequest): Promise<{ items: M[]; nextPageToken: string }> {
    this.options.gate.assertOpen();
    const page = await listPage(this.options.store, this.options.collection, filter, request);
    return { items: await Promise.all(page.docs.map((doc) => this.options.toMessage(doc))), nextPageToken: page.nextPageToken };
  }

  /**
   * A watch started during a rebuild is refused (its snapshot would be
   * partial); one already running carries on: the replay republishes changes
   * at the positions the watch has already seen, which it skips.
   */
  async watch(filter: DocumentFilter<D>, signal: AbortSignal, emit: (kind: ChangeKind, message: M, position: number) => Promise<void>): Promise<void> {
    this.options.gate.assertOpen();
    return watchCollection<D>({
      store: this.options.store,
      collection: this.options.collection,
      context: this.options.context,
      matches: filter.matches,
      signal,
      emit: async (kind, doc, position) => emit(kind, await this.options.toMessage(doc), position),
    });
  }
}
