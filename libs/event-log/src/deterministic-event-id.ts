import { hash } from 'node:crypto';

// Fixed namespace for name-based (v5) UUIDs of events decided by a command.
const NAMESPACE = Buffer.from('6f1d3c1e8a6b4f4e9a52c0f1d2b7e8a1', 'hex');

/**
 * The id of the `index`-th event decided for `commandId`: an RFC 4122 version-5 UUID,
 * so re-running the same command yields the same ids and the store deduplicates it.
 */
export function deterministicEventId(commandId: string, index: number): string {
  // One-shot hash: a Hash object per id cost twice as much, and commands compute several.
  const digest = hash('sha1', Buffer.concat([NAMESPACE, Buffer.from(`${commandId}/${index}`)]), 'buffer');
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
