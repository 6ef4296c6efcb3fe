import type { SyncKind } from './resources';

/**
 * The command id of one step of syncing one generation of one object: the same spec
 * always yields the same ids, so a replay, a retry or a restarted sync is answered with
 * the first outcome and writes nothing new (the api derives event ids from command ids).
 * The uid keeps a re-created object with the same name apart from its predecessor.
 * At most 128 characters (the api's limit): uids are 36, steps short.
 */
export function commandIdFor(kind: SyncKind, uid: string, generation: number | 'delete', step: string): string {
  const gen = generation === 'delete' ? 'delete' : `g${generation}`;
  return `k8s/${kind}/${uid}/${gen}/${step}`;
}
