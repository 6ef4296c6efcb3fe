import { createHash } from 'node:crypto';

/**
 * Deterministic id of a commit, used as Nats-Msg-Id: the same event ids appended to
 * the same subject always give the same id, so the broker drops a retried commit.
 * JSON encoding keeps the parts unambiguous whatever characters the ids contain.
 */
export function commitIdFor(subject: string, eventIds: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([subject, ...eventIds])).digest('hex');
}
