import type { MoveRecord, PlannedMove } from './rules/placement';

/**
 * The moves this controller has sent, per device, while the device stays
 * misplaced: what lets the pure planner send a move once per (device, session,
 * target) and again only after a retry delay. In memory: a restarted controller
 * sends each pending move once more, which a gateway answers harmlessly (a Bye to a
 * device that still belongs elsewhere, or a refusal for a stale session).
 */
export class MoveLedger {
  private readonly entries = new Map<string, MoveRecord>();

  get records(): ReadonlyMap<string, MoveRecord> {
    return this.entries;
  }

  sent(move: PlannedMove, at: number, result: string): void {
    this.entries.set(move.deviceId, { sessionId: move.sessionId, target: move.toGateway, attempts: move.attempt, lastAttemptAt: at, lastResult: result });
  }

  /** Forgets devices no longer misplaced: arrived, disconnected or reassigned home. */
  retain(misplaced: ReadonlySet<string>): void {
    for (const deviceId of this.entries.keys()) if (!misplaced.has(deviceId)) this.entries.delete(deviceId);
  }
}
