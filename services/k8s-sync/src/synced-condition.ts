import { ANNOTATIONS, annotationNumber, generationOf, type ObjectMeta } from './resources';
import { rfc3339, type Condition, type ConditionStatus } from './status';

export const SYNCED = 'Synced';

/** The Synced condition: whether the object's spec has reached the fleet (or was taken from it). */
export function syncedCondition(status: ConditionStatus, reason: string, message: string, generation: number, now: Date): Condition {
  return { type: SYNCED, status, reason, message, lastTransitionTime: rfc3339(now), observedGeneration: generation };
}

/**
 * Synced as the object's own record tells it, for an object this process has not acted on
 * yet (e.g. after a restart or a leader change): the condition it already shows for its
 * current generation, else what the annotations say.
 */
export function recordedSynced(meta: ObjectMeta, shown: readonly Condition[] | undefined, now: Date): Condition {
  const generation = generationOf(meta);
  const current = shown?.find((c) => c.type === SYNCED);
  if (current !== undefined && current.observedGeneration === generation) return current;
  const synced = annotationNumber(meta, ANNOTATIONS.syncedGeneration);
  return synced !== undefined && synced >= generation
    ? syncedCondition('True', 'InSync', `generation ${generation} is in the fleet`, generation, now)
    : syncedCondition('Unknown', 'Pending', `generation ${generation} is not synced yet`, generation, now);
}
