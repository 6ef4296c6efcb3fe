import { InvalidCommand } from './errors';

/**
 * Commands name their aggregate in their data. The command handler loads the
 * stream by that name, so a mismatch means the caller routed it wrongly.
 */
export function requireSameAggregate(field: string, commandId: string, stateId: string): void {
  if (commandId !== stateId) {
    throw new InvalidCommand(field, `is '${commandId}' but the loaded aggregate is '${stateId}'`);
  }
}
