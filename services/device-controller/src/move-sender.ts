import type { NatsConnection } from '@nats-io/transport-node';
import { sendDeviceCommand } from '@wasmbed/device-bus';
import type { Logger } from '@wasmbed/service-kit';
import type { ActionOutcome } from './metrics';
import type { MoveLedger } from './move-ledger';
import { forEachPooled } from './pool';
import type { PlannedMove } from './rules/placement';

export interface MoveSenderOptions {
  readonly nc: NatsConnection;
  readonly ledger: MoveLedger;
  readonly logger: Logger;
  readonly clock: () => number;
  /** How long to wait for the gateway's answer (default 5 s). */
  readonly timeoutMs?: number;
  /** Moves in flight at once (default 16). */
  readonly concurrency?: number;
  readonly onOutcome?: (move: PlannedMove, outcome: ActionOutcome) => void;
}

/**
 * Sends planned moves as device-bus RebalanceDevice commands to the gateway holding
 * each device's session, and records every attempt in the ledger, whatever the
 * answer: ok (the gateway said Bye) is `applied`; a refusal (stale session, a device
 * without the redirect feature) `refused`; no gateway or no answer `failed`. The
 * planner tries again after the retry delay if the device is still misplaced.
 */
export class MoveSender {
  constructor(private readonly options: MoveSenderOptions) {}

  async run(moves: readonly PlannedMove[]): Promise<Record<ActionOutcome, number>> {
    const outcomes: Record<ActionOutcome, number> = { applied: 0, unchanged: 0, refused: 0, failed: 0 };
    await forEachPooled(moves, this.options.concurrency ?? 16, async (move) => {
      const outcome = await this.send(move);
      outcomes[outcome] += 1;
      this.options.onOutcome?.(move, outcome);
    });
    return outcomes;
  }

  private async send(move: PlannedMove): Promise<ActionOutcome> {
    const { nc, ledger, logger, clock } = this.options;
    const fields = { action: 'move_device', moveId: move.moveId, deviceId: move.deviceId, from: move.fromGateway, to: move.toGateway, endpoint: move.endpoint };
    const at = clock();
    try {
      const reply = await sendDeviceCommand(nc, move.deviceId, { type: 'RebalanceDevice', sessionId: move.sessionId, endpoint: move.endpoint }, { timeoutMs: this.options.timeoutMs ?? 5_000 });
      if (reply.ok) {
        ledger.sent(move, at, 'ok');
        logger.info('device sent to its assigned gateway', fields);
        return 'applied';
      }
      ledger.sent(move, at, `${reply.error.code}: ${reply.error.message}`);
      const refused = reply.error.code === 'failed_precondition' || reply.error.code === 'not_found';
      logger.info(refused ? 'move refused by the gateway' : 'move not delivered; retried later', { ...fields, error: reply.error });
      return refused ? 'refused' : 'failed';
    } catch (err) {
      ledger.sent(move, at, `internal: ${err instanceof Error ? err.message : String(err)}`);
      logger.warn('sending a move failed; retried later', { ...fields, error: err });
      return 'failed';
    }
  }
}
