import type { Application } from '@wasmbed/proto';
import type { Logger } from '@wasmbed/service-kit';
import { Backoff } from './backoff';
import type { CommandExecutor } from './executor';
import type { Step } from './fleet-commands';
import { describeApiFailure, type ApiFailure, type FleetApi } from './fleet/api-client';
import type { FleetCache } from './fleet/fleet-cache';
import type { FleetSource } from './fleet/sources';
import type { ResourceInformer } from './kube/informer';
import { isConflict, type ObjectWriter } from './kube/object-writer';
import type { ObjectWrite, SyncMetrics } from './metrics';
import { plan, type Plan } from './planner';
import { ANNOTATIONS, FINALIZER, SYNC_KINDS, generationOf, type ResourceOf, type SyncKind } from './resources';
import type { FleetOf, KindRules } from './rules/kind-rules';
import { httpStatusOf, type Condition, type StatusWriter } from './status';
import { statusFor } from './status-publisher';
import { recordedSynced, syncedCondition } from './synced-condition';

/** One kind's rules, Kubernetes objects and read model. */
export interface KindBundle<K extends SyncKind> {
  readonly rules: KindRules<K>;
  readonly informer: ResourceInformer<K>;
  readonly fleet: FleetCache<K>;
  readonly source: FleetSource<K>;
}

export type Bundles = { readonly [K in SyncKind]: KindBundle<K> };

export interface ReconcilerOptions {
  /** Where objects for fleet resources are created. */
  readonly namespace: string;
  readonly bundles: Bundles;
  readonly api: FleetApi;
  readonly executor: CommandExecutor;
  readonly writer: ObjectWriter;
  readonly statusWriter: StatusWriter;
  readonly metrics: SyncMetrics;
  readonly logger: Logger;
  readonly isLeader: () => boolean;
  readonly clock?: () => Date;
}

/** How long a cleaned-up name is not mirrored back while the read model catches up. */
const CLEANED_UP_MEMORY_MS = 60_000;
/** Re-check of a cleanup the fleet is still doing (an application stopping on its devices). */
const CLEANUP_POLL_MS = 2_000;
/** Re-plan after the read model was found behind the fleet (ABORTED, a 409 re-read). */
const STALE_RETRY_MS = 200;
/**
 * After commands, how long the status waits for the read model to show them. The watch
 * normally brings them within milliseconds; past this, the status is written from what
 * the cache has (a read model that lags for good must not freeze the status).
 */
const AWAIT_FLEET_MS = 10_000;
/** Plans carried out back to back for one object (finalizer, then commands); more go back to the queue. */
const MAX_PASSES_AT_ONCE = 3;

export type Key = `${SyncKind}/${string}`;

export const keyOf = (kind: SyncKind, name: string): Key => `${kind}/${name}`;
function splitKey(key: Key): [SyncKind, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash) as SyncKind, key.slice(slash + 1)];
}

/** What one reconcile asks of the queue afterwards. */
type Next = { readonly after: 'done' } | { readonly after: 'retry'; readonly ms: number } | { readonly after: 'backoff' };

const DONE: Next = { after: 'done' };
const AT_ONCE: Next = { after: 'retry', ms: 0 };

/**
 * Runs the planner for one object at a time and carries its plan out: api commands,
 * object writes (finalizer, annotations, spec, creation), and the status through the
 * StatusWriter. Only the leader acts. Failures back off per object; a 409 re-reads the
 * object and plans again.
 */
export class Reconciler {
  private readonly backoffs = new Map<Key, Backoff>();
  /** The Synced condition this process decided last, per object. */
  private readonly synced = new Map<Key, Condition>();
  /** Names cleaned up lately (epoch ms until which they are not mirrored back). */
  private readonly cleanedUp = new Map<Key, number>();
  /** Objects whose commands the read model does not show yet (epoch ms until which their status waits). */
  private readonly awaitingFleet = new Map<Key, number>();
  private readonly clock: () => Date;

  constructor(
    private readonly options: ReconcilerOptions,
    private readonly requeue: (key: Key, delayMs: number) => void,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Every name either side knows, of every kind. */
  allKeys(): Key[] {
    const keys = new Set<Key>();
    for (const kind of SYNC_KINDS) {
      const { informer, fleet } = this.options.bundles[kind];
      for (const name of informer.names()) keys.add(keyOf(kind, name));
      for (const name of fleet.names()) keys.add(keyOf(kind, name));
    }
    return [...keys];
  }

  cachesSynced(): boolean {
    return SYNC_KINDS.every((kind) => this.options.bundles[kind].informer.synced && this.options.bundles[kind].fleet.synced);
  }

  /** The queue's worker. */
  async reconcile(key: Key): Promise<void> {
    const [kind, name] = splitKey(key);
    if (!this.options.isLeader()) return;
    const bundle = this.options.bundles[kind] as KindBundle<SyncKind>;
    // Plans read other kinds too (an application's target devices): wait for every cache.
    if (!this.cachesSynced()) {
      this.requeue(key, 1_000);
      return;
    }
    let next: Next = AT_ONCE;
    // A plan that goes on at once (the finalizer was just added) goes on in this worker: back
    // in the queue it would wait behind every other object (10,000 finalizers before the first
    // registration), and a status between the steps would only be overwritten by the next one.
    for (let pass = 0; next === AT_ONCE && pass < MAX_PASSES_AT_ONCE && this.options.isLeader(); pass += 1) {
      try {
        next = await this.reconcileObject(bundle, key, name);
      } catch (err) {
        next = await this.onError(bundle, key, name, err);
      }
    }
    if (next !== AT_ONCE) this.publishStatus(bundle, key, name);
    if (next.after === 'done') this.backoffs.delete(key);
    else if (next.after === 'retry') this.requeue(key, next.ms);
    else this.requeue(key, this.backoffOf(key).next());
  }

  private async reconcileObject(bundle: KindBundle<SyncKind>, key: Key, name: string): Promise<Next> {
    const resource = bundle.informer.get(name);
    const until = this.cleanedUp.get(key);
    if (until !== undefined && until < Date.now()) this.cleanedUp.delete(key);
    const p: Plan<SyncKind> = plan(bundle.rules, {
      name,
      namespace: this.options.namespace,
      resource,
      fleet: bundle.fleet.get(name),
      recentlyCleanedUp: this.cleanedUp.has(key),
      deviceExists: (device) => this.options.bundles.Device.fleet.get(device) !== undefined,
    });
    this.options.metrics.reconciles.inc({ kind: bundle.rules.kind, action: p.action });
    const kind = bundle.rules.kind;
    switch (p.action) {
      case 'none':
        return DONE;
      case 'create': {
        const created = await this.write(kind, 'create', () => this.options.writer.create(kind, p.object));
        bundle.informer.put(created);
        this.options.logger.info('object created for a fleet resource', { kind, name });
        return DONE;
      }
      case 'addFinalizer': {
        const meta = resource!.metadata;
        const patch = { metadata: { resourceVersion: meta.resourceVersion, finalizers: [...(meta.finalizers ?? []), FINALIZER] } };
        bundle.informer.put(await this.write(kind, 'finalizer', () => this.options.writer.mergePatch(kind, name, patch)));
        return AT_ONCE;
      }
      case 'apply':
        return this.apply(bundle, key, name, p.steps, p.generation);
      case 'record': {
        bundle.informer.put(await this.write(kind, 'annotations', () => this.options.writer.mergePatch(kind, name, { metadata: { annotations: p.annotations } })));
        if (p.annotations[ANNOTATIONS.syncedGeneration] !== undefined) {
          this.setSynced(key, 'True', 'InSync', `generation ${p.generation} is in the fleet`, p.generation);
        }
        return DONE;
      }
      case 'adopt':
        return this.adopt(bundle, key, resource!, p.spec, p.annotations);
      case 'refuse':
        this.setSynced(key, 'False', p.reason, p.message, p.generation);
        this.options.logger.info('spec refused', { kind, name, reason: p.reason, message: p.message });
        return { after: 'backoff' };
      case 'cleanup':
        return this.cleanup(bundle, key, resource!, p.steps);
      case 'deleteObject':
        return this.deleteVanished(bundle, resource!);
    }
  }

  /** Kubernetes wins: send the commands, then record the generation as synced. */
  private async apply(bundle: KindBundle<SyncKind>, key: Key, name: string, steps: readonly Step[], generation: number): Promise<Next> {
    const kind = bundle.rules.kind;
    const outcome = await this.options.executor.run(steps);
    if (!outcome.ok) return this.commandFailed(key, outcome.failure, generation);
    const fleet = bundle.fleet.get(name);
    const marker =
      kind === 'Application'
        ? { [ANNOTATIONS.fleetRevision]: String(Math.max((fleet as Application | undefined)?.latestRevision ?? 0, outcome.createdRevision ?? 0)) }
        : { [ANNOTATIONS.fleetVersion]: String(outcome.lastVersion) };
    const annotations = { [ANNOTATIONS.syncedGeneration]: String(generation), ...marker };
    bundle.informer.put(await this.write(kind, 'annotations', () => this.options.writer.mergePatch(kind, name, { metadata: { annotations } })));
    this.awaitingFleet.set(key, Date.now() + AWAIT_FLEET_MS);
    this.setSynced(key, 'True', 'Applied', `generation ${generation} applied (${steps.map((s) => s.command.type).join(', ')})`, generation);
    return DONE;
  }

  /** Fleet wins: write the fleet's values into the spec and record the new generation as synced. */
  private async adopt(bundle: KindBundle<SyncKind>, key: Key, resource: ResourceOf<SyncKind>, spec: ResourceOf<SyncKind>['spec'], annotations: Readonly<Record<string, string>>): Promise<Next> {
    const kind = bundle.rules.kind;
    const name = resource.metadata.name;
    const updated = { ...resource, metadata: { ...resource.metadata, annotations: { ...resource.metadata.annotations, ...annotations } }, spec };
    let stored = await this.write(kind, 'spec', () => this.options.writer.replace(kind, updated));
    const generation = generationOf(stored.metadata);
    // The generation moves only when the stored spec really changed: record the one that is.
    if (stored.metadata.annotations?.[ANNOTATIONS.syncedGeneration] !== String(generation)) {
      const fix = { metadata: { resourceVersion: stored.metadata.resourceVersion, annotations: { [ANNOTATIONS.syncedGeneration]: String(generation) } } };
      stored = await this.write(kind, 'annotations', () => this.options.writer.mergePatch(kind, name, fix));
    }
    bundle.informer.put(stored);
    this.setSynced(key, 'True', 'AdoptedFromFleet', `the fleet changed outside Kubernetes; spec updated to match (generation ${generation})`, generation);
    this.options.logger.info('spec adopted from the fleet', { kind, name, generation });
    return DONE;
  }

  /** Deletion: clean the fleet up, confirm with a fresh read, then let the object go. */
  private async cleanup(bundle: KindBundle<SyncKind>, key: Key, resource: ResourceOf<SyncKind>, steps: readonly Step[]): Promise<Next> {
    const kind = bundle.rules.kind;
    const name = resource.metadata.name;
    const outcome = await this.options.executor.run(steps);
    if (!outcome.ok && outcome.failure.class === 'transient') return { after: 'backoff' };
    // A refusal may only mean "already clean" (e.g. not found): the fresh read decides.
    const fresh = await bundle.source.get(this.options.api, name);
    bundle.fleet.put(name, fresh);
    const generation = generationOf(resource.metadata);
    if (!bundle.rules.cleanedUp(fresh)) {
      if (!outcome.ok && outcome.failure.class === 'refused') {
        this.setSynced(key, 'False', outcome.failure.reason, `cleanup before deletion failed: ${outcome.failure.message}`, generation);
        return { after: 'backoff' };
      }
      this.setSynced(key, 'False', 'CleaningUp', `waiting for the fleet to finish the cleanup of ${kind.toLowerCase()} '${name}'`, generation);
      return { after: 'retry', ms: CLEANUP_POLL_MS };
    }
    await this.removeFinalizer(bundle, resource);
    this.forget(kind, key);
    this.options.logger.info('fleet cleaned up; finalizer removed', { kind, name });
    return DONE;
  }

  /** The fleet dropped the resource for good (deleted with the CLI): the object follows, through the usual cleanup. */
  private async deleteVanished(bundle: KindBundle<SyncKind>, resource: ResourceOf<SyncKind>): Promise<Next> {
    const kind = bundle.rules.kind;
    const name = resource.metadata.name;
    const fresh = await bundle.source.get(this.options.api, name);
    if (fresh !== undefined) {
      bundle.fleet.put(name, fresh);
      return AT_ONCE;
    }
    await this.write(kind, 'delete', () => this.options.writer.delete(kind, name));
    this.options.logger.info('object deleted: its fleet resource was deleted outside Kubernetes', { kind, name });
    return DONE;
  }

  private async removeFinalizer(bundle: KindBundle<SyncKind>, resource: ResourceOf<SyncKind>): Promise<void> {
    const kind = bundle.rules.kind;
    const meta = resource.metadata;
    const patch = { metadata: { resourceVersion: meta.resourceVersion, finalizers: (meta.finalizers ?? []).filter((f) => f !== FINALIZER) } };
    try {
      await this.write(kind, 'finalizer', () => this.options.writer.mergePatch(kind, meta.name, patch));
    } catch (err) {
      // Gone already (a deletion without other finalizers completes on the last removal).
      if (httpStatusOf(err) !== 404) throw err;
    }
  }

  private forget(kind: SyncKind, key: Key): void {
    this.cleanedUp.set(key, Date.now() + CLEANED_UP_MEMORY_MS);
    this.synced.delete(key);
    this.backoffs.delete(key);
    this.awaitingFleet.delete(key);
    this.options.statusWriter.forget(kind, splitKey(key)[1]);
  }

  private commandFailed(key: Key, failure: ApiFailure, generation: number): Next {
    if (failure.class === 'stale') return { after: 'retry', ms: STALE_RETRY_MS };
    if (failure.class === 'transient') return { after: 'backoff' };
    this.setSynced(key, 'False', failure.reason, failure.message, generation);
    return { after: 'backoff' };
  }

  private async onError(bundle: KindBundle<SyncKind>, key: Key, name: string, err: unknown): Promise<Next> {
    const kind = bundle.rules.kind;
    if (isConflict(err)) {
      // Someone wrote the object since we read it: read it afresh and plan again.
      try {
        const fresh = await this.options.writer.get(kind, name);
        if (fresh !== undefined) bundle.informer.put(fresh);
      } catch (readErr) {
        this.options.logger.warn('re-read after a conflict failed', { kind, name, error: readErr });
      }
      return { after: 'retry', ms: STALE_RETRY_MS };
    }
    const failure = describeApiFailure(err);
    this.options.logger.warn('reconcile failed; retrying with back-off', { kind, name, status: httpStatusOf(err), error: failure.message });
    return { after: 'backoff' };
  }

  private async write<T>(kind: SyncKind, write: ObjectWrite, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.options.metrics.writes.inc({ kind, write, outcome: 'ok' });
      return result;
    } catch (err) {
      this.options.metrics.writes.inc({ kind, write, outcome: isConflict(err) ? 'conflict' : 'error' });
      throw err;
    }
  }

  private setSynced(key: Key, status: Condition['status'], reason: string, message: string, generation: number): void {
    this.synced.set(key, syncedCondition(status, reason, message, generation, this.clock()));
  }

  private publishStatus(bundle: KindBundle<SyncKind>, key: Key, name: string): void {
    const resource = bundle.informer.get(name);
    if (resource === undefined || !this.options.isLeader()) return;
    // Its finalizer is gone: the object is about to disappear, nothing to show any more.
    if (resource.metadata.deletionTimestamp !== undefined && this.cleanedUp.has(key)) return;
    if (this.waitsForFleet(bundle, key, resource)) return;
    const own = this.synced.get(key);
    const synced = own !== undefined && own.observedGeneration === generationOf(resource.metadata) ? own : recordedSynced(resource.metadata, resource.status?.conditions, this.clock());
    const apps = this.options.bundles.Application.fleet;
    const status = statusFor(bundle.rules.kind, resource, bundle.fleet.get(name) as FleetOf[SyncKind] | undefined, synced, (app) => apps.get(app));
    this.options.statusWriter.set(bundle.rules.kind, name, status);
  }

  /**
   * Commands were just applied and the read model does not show them yet: a status now
   * would say NotInFleet (or the state before the commands) and be overwritten once the
   * watch brings the change, which also reconciles the object again. One write instead of two,
   * and the second no longer waits out the coalescing interval.
   */
  private waitsForFleet(bundle: KindBundle<SyncKind>, key: Key, resource: ResourceOf<SyncKind>): boolean {
    const until = this.awaitingFleet.get(key);
    if (until === undefined) return false;
    const fleet = bundle.fleet.get(resource.metadata.name);
    const behind = fleet === undefined || bundle.rules.stale(resource, fleet);
    const now = Date.now();
    if (behind && now < until) {
      // Should the watch never bring it, the status is written from the cache then.
      this.requeue(key, until - now);
      return true;
    }
    this.awaitingFleet.delete(key);
    return false;
  }

  private backoffOf(key: Key): Backoff {
    let backoff = this.backoffs.get(key);
    if (backoff === undefined) {
      backoff = new Backoff(1_000, 300_000);
      this.backoffs.set(key, backoff);
    }
    return backoff;
  }
}
