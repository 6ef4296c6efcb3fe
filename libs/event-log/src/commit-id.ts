import { createHash } from 'node:crypto';

/**
 * Deterministic id of a commit, used as Nats-Msg-Id: the same event ids appended to
 * the same subject always give the same id, so the broker drops a retried commit.
 * JSON encoding keeps the parts unambiguous whatever characters the ids contain.
 */
export function commitIdFor(subject: string, eventIds: readonly string[]): string {
  // The common single-event commit skips hashing (it sits on the append hot path).
  // Subjects contain no spaces, so the first space splits subject and id unambiguously,
  // and a subject contains dots, so this form never equals a hex digest.
  if (eventIds.length === 1) return `${subject} ${eventIds[0]}`;
  return createHash('sha256').update(JSON.stringify([subject, ...eventIds])).digest('hex');
}
