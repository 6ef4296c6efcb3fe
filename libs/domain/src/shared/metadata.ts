import type { CommandMetadata } from './messages';
import { requireIsoTime } from './time';
import { requireRecord, requireText } from './validation';

/** Every decide starts here: a command without a valid time and actor cannot be decided. */
export function requireMetadata(value: unknown): CommandMetadata {
  const metadata = requireRecord('metadata', value);
  return {
    now: requireIsoTime('metadata.now', metadata.now),
    actor: requireText('metadata.actor', metadata.actor),
  };
}
