import type { CustomObjectsApi, Watch } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { Logger } from '@wasmbed/service-kit';
import { Backoff } from '../backoff';
import { GROUP, PLURALS, VERSION, type ResourceOf, type SyncKind } from '../resources';
import { httpStatusOf } from '../status';

export type InformerRestart = 'relist_expired' | 'watch_error' | 'list_error';

export interface InformerOptions<K extends SyncKind> {
  readonly kind: K;
  readonly namespace: string;
  readonly customObjects: CustomObjectsApi;
  readonly watch: Watch;
  readonly logger: Logger;
  /** Called with each name whose object may have changed (deleted ones included). */
  readonly onChange: (kind: K, name: string) => void;
  readonly onRestart?: (kind: K, reason: InformerRestart) => void;
  /** How long the apiserver keeps one watch open before we open the next; default 300. */
  readonly watchTimeoutSeconds?: number;
}

interface WatchEnd {
  readonly expired: boolean;
  readonly error?: unknown;
}

/** resourceVersions are opaque, but etcd's are integers: compare them as such when both are. */
function newer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return true;
  return BigInt(a) >= BigInt(b);
}

/**
 * The objects of one kind in one namespace: list, then watch from the list's
 * resourceVersion, remembering the version of every event and bookmark so a watch that
 * ends (timeout, apiserver restart, network) resumes where it stopped. An expired version
 * (410 Gone) means events were compacted away: list again and report what changed
 * meanwhile, deletions included. Failures back off; nothing is lost, only late.
 */
export class ResourceInformer<K extends SyncKind> {
  private objects = new Map<string, ResourceOf<K>>();
  private resourceVersion = '';
  private isSynced = false;
  private stopped = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff = new Backoff(250, 30_000);
  private loop: Promise<void> | undefined;
  private readonly path: string;

  constructor(private readonly options: InformerOptions<K>) {
    this.path = `/apis/${GROUP}/${VERSION}/namespaces/${options.namespace}/${PLURALS[options.kind]}`;
  }

  get kind(): K {
    return this.options.kind;
  }

  /** The first list has completed. */
  get synced(): boolean {
    return this.isSynced;
  }

  get(name: string): ResourceOf<K> | undefined {
    return this.objects.get(name);
  }

  names(): string[] {
    return [...this.objects.keys()];
  }

  /** The object as a write or a fresh read returned it, unless the cache already holds a newer one. */
  put(object: ResourceOf<K>): void {
    const current = this.objects.get(object.metadata.name);
    if (current !== undefined && !newer(object.metadata.resourceVersion, current.metadata.resourceVersion)) return;
    this.objects.set(object.metadata.name, object);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.resourceVersion === '' && !(await this.relist())) {
        await this.pause(this.backoff.next());
        continue;
      }
      const started = Date.now();
      const end = await this.watchOnce();
      if (this.stopped) return;
      // A watch the apiserver closes at once, again and again, must not spin.
      if (!end.expired && end.error === undefined && Date.now() - started < 1_000) await this.pause(this.backoff.next());
      if (end.expired) {
        this.options.logger.info('watch expired (410 Gone); listing again', { kind: this.kind, resourceVersion: this.resourceVersion });
        this.options.onRestart?.(this.kind, 'relist_expired');
        this.resourceVersion = '';
      } else if (end.error !== undefined) {
        this.options.onRestart?.(this.kind, 'watch_error');
        const level = this.backoff.attempts === 0 ? 'warn' : 'debug';
        const delay = this.backoff.next();
        this.options.logger[level]('watch failed; resuming from the last resourceVersion', { kind: this.kind, resourceVersion: this.resourceVersion, delayMs: delay, error: describe(end.error) });
        await this.pause(delay);
      }
    }
  }

  private async relist(): Promise<boolean> {
    const { customObjects, namespace, kind } = this.options;
    let list: { items?: ResourceOf<K>[]; metadata?: { resourceVersion?: string } };
    try {
      list = (await customObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURALS[kind] })) as typeof list;
    } catch (err) {
      this.options.onRestart?.(kind, 'list_error');
      // One warning per outage; the retries after it are debug.
      const level = this.backoff.attempts === 0 ? 'warn' : 'debug';
      this.options.logger[level]('list failed; retrying', { kind, status: httpStatusOf(err), error: describe(err) });
      return false;
    }
    if (this.stopped) return false;
    const before = this.objects;
    this.objects = new Map((list.items ?? []).map((o) => [o.metadata.name, o]));
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.isSynced = true;
    this.backoff.reset();
    for (const name of new Set([...before.keys(), ...this.objects.keys()])) this.options.onChange(kind, name);
    return true;
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let expired = false;
      const query = { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.options.watchTimeoutSeconds ?? 300 };
      const onEvent = (type: string, object: ResourceOf<K> & { code?: number }) => {
        if (type === 'ERROR') {
          if (object.code === 410) expired = true;
          this.abort?.abort();
          return;
        }
        const rv = object.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        this.backoff.reset();
        const name = object.metadata.name;
        if (type === 'DELETED') this.objects.delete(name);
        else this.objects.set(name, object);
        this.options.onChange(this.kind, name);
      };
      const onDone = (err: unknown) => {
        const status = (err as { statusCode?: number } | null)?.statusCode;
        if (status === 410) expired = true;
        // An abort we asked for (ERROR event, stop) is no failure.
        const aborted = (err as { name?: string } | null)?.name === 'AbortError';
        resolve({ expired, ...(err && !aborted && !expired ? { error: err } : {}) });
      };
      this.options.watch.watch(this.path, query, onEvent, onDone).then(
        (controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        },
        (err: unknown) => onDone(err),
      );
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
