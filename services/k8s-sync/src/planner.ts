import type { Step } from './fleet-commands';
import { ANNOTATIONS, API_VERSION, FINALIZER, annotationNumber, generationOf, type ResourceOf, type SpecOf, type SyncKind } from './resources';
import { isRefusal, type FleetOf, type KindRules } from './rules/kind-rules';

export interface PlanInput<K extends SyncKind> {
  readonly name: string;
  readonly namespace: string;
  /** The object in Kubernetes; undefined = none. */
  readonly resource: ResourceOf<K> | undefined;
  /** The api's read model of it; undefined = none. */
  readonly fleet: FleetOf[K] | undefined;
  /** The sync cleaned this name up moments ago; the read model may not show it yet. */
  readonly recentlyCleanedUp: boolean;
  /** Whether the fleet has a device of this name (Applications name their targets). */
  readonly deviceExists: (name: string) => boolean;
}

export type Plan<K extends SyncKind> =
  | { readonly action: 'none' }
  /** Fleet → Kubernetes: an object for a fleet resource Kubernetes lacks. */
  | { readonly action: 'create'; readonly object: ResourceOf<K> }
  | { readonly action: 'addFinalizer' }
  /** Kubernetes wins: commands, then record `generation` as synced (with the fleet marker). */
  | { readonly action: 'apply'; readonly steps: readonly Step[]; readonly generation: number }
  /** Nothing to send: only record annotations (the generation is in sync, or a baseline marker). */
  | { readonly action: 'record'; readonly annotations: Readonly<Record<string, string>>; readonly generation: number }
  /** Fleet wins: the spec takes what the fleet has; the new generation is recorded as synced. */
  | { readonly action: 'adopt'; readonly spec: SpecOf[K]; readonly annotations: Readonly<Record<string, string>> }
  /** The spec cannot be applied as it is; nothing is sent. */
  | { readonly action: 'refuse'; readonly reason: string; readonly message: string; readonly generation: number }
  /** Deletion: commands, then a fresh read decides whether the finalizer may go. */
  | { readonly action: 'cleanup'; readonly steps: readonly Step[] }
  /** The fleet dropped the resource (e.g. deleted with the CLI): once a fresh read confirms it, delete the object too. */
  | { readonly action: 'deleteObject' };

const hasFinalizer = (resource: ResourceOf<SyncKind>) => (resource.metadata.finalizers ?? []).includes(FINALIZER);

/**
 * The one rule set of the sync, level-triggered: what to do about one name, from the
 * object and the read model alone (no history), so a replay or a restart plans the same.
 *
 * Who wins: a generation the sync has not recorded as synced (metadata.generation above
 * the synced-generation annotation) is a Kubernetes change and wins, even when the fleet
 * changed too. Once it is synced, a fleet change made elsewhere (gRPC, CLI, a gateway
 * registering itself) is written into the spec.
 */
export function plan<K extends SyncKind>(rules: KindRules<K>, input: PlanInput<K>): Plan<K> {
  const { resource, fleet } = input;
  if (resource === undefined) {
    if (fleet === undefined || !rules.mirrors(fleet) || input.recentlyCleanedUp) return { action: 'none' };
    return { action: 'create', object: mirrorObject(rules, input.name, input.namespace, fleet) };
  }
  const uid = resource.metadata.uid ?? '';
  if (resource.metadata.deletionTimestamp !== undefined) {
    return hasFinalizer(resource) ? { action: 'cleanup', steps: rules.cleanupSteps(input.name, uid, fleet) } : { action: 'none' };
  }
  if (!hasFinalizer(resource)) return { action: 'addFinalizer' };

  const generation = generationOf(resource.metadata);
  const synced = annotationNumber(resource.metadata, ANNOTATIONS.syncedGeneration);
  if (synced === undefined || generation > synced) {
    const steps = rules.applySteps({ name: input.name, uid, generation, spec: resource.spec, fleet, deviceExists: input.deviceExists });
    if (isRefusal(steps)) return { action: 'refuse', ...steps, generation };
    if (steps.length > 0) return { action: 'apply', steps, generation };
    // Already as the spec says (applySteps plans a creation when the fleet lacks it).
    return { action: 'record', annotations: { [ANNOTATIONS.syncedGeneration]: String(generation), ...rules.marker(fleet!) }, generation };
  }

  if (fleet === undefined) return rules.vanishes && !input.recentlyCleanedUp ? { action: 'deleteObject' } : { action: 'none' };
  if (rules.markerMissing(resource)) return { action: 'record', annotations: rules.marker(fleet), generation };
  if (rules.stale(resource, fleet) || !rules.movedOn(resource, fleet) || !rules.differs(resource.spec, fleet)) return { action: 'none' };
  return {
    action: 'adopt',
    spec: rules.specFromFleet(fleet, resource.spec),
    // A spec change bumps the generation by one: record that one as synced in the same write.
    annotations: { [ANNOTATIONS.syncedGeneration]: String(generation + 1), ...rules.marker(fleet) },
  };
}

function mirrorObject<K extends SyncKind>(rules: KindRules<K>, name: string, namespace: string, fleet: FleetOf[K]): ResourceOf<K> {
  return {
    apiVersion: API_VERSION,
    kind: rules.kind,
    metadata: {
      name,
      namespace,
      finalizers: [FINALIZER],
      annotations: { [ANNOTATIONS.syncedGeneration]: '1', [ANNOTATIONS.origin]: 'fleet', ...rules.marker(fleet) },
    },
    spec: rules.specFromFleet(fleet),
  };
}
