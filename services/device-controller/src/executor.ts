import { deviceDecider, gatewayDecider, type DeviceCommand, type GatewayCommand } from '@wasmbed/domain';
import { isWasmbedError } from '@wasmbed/errors';
import { handleCommand, type EventStore } from '@wasmbed/event-log';
import type { Logger } from '@wasmbed/service-kit';
import type { PlannedAction } from './actions';
import { CONTROLLER_ACTOR } from './fleet-state';
import type { ActionOutcome } from './metrics';
import { forEachPooled } from './pool';

export interface ExecutorOptions {
  readonly store: EventStore;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Commands in flight at once (default 16): a dead gateway can leave thousands of sessions to close. */
  readonly concurrency?: number;
  readonly onOutcome?: (action: PlannedAction, outcome: ActionOutcome) => void;
}

export interface ExecutionReport {
  readonly outcomes: Readonly<Record<ActionOutcome, number>>;
  /** Highest log position written (0: none), to wait for before planning again. */
  readonly lastPosition: number;
}

/**
 * Runs planned commands through the domain (load → decide → append) as the
 * controller. The domain has the last word: a command the state no longer allows
 * (an operator was faster) is `refused`, not an error.
 */
export class ActionExecutor {
  constructor(private readonly options: ExecutorOptions) {}

  async run(actions: readonly PlannedAction[]): Promise<ExecutionReport> {
    const outcomes: Record<ActionOutcome, number> = { applied: 0, unchanged: 0, refused: 0, failed: 0 };
    let lastPosition = 0;
    await forEachPooled(actions, this.options.concurrency ?? 16, async (action) => {
      const { outcome, position } = await this.execute(action);
      outcomes[outcome] += 1;
      lastPosition = Math.max(lastPosition, position);
      this.options.onOutcome?.(action, outcome);
    });
    return { outcomes, lastPosition };
  }

  private async execute(action: PlannedAction): Promise<{ outcome: ActionOutcome; position: number }> {
    const { store, logger } = this.options;
    const now = new Date(this.options.clock()).toISOString();
    const metadata = { commandId: action.commandId, correlationId: action.commandId, actor: CONTROLLER_ACTOR, now };
    const stamped = { ...action.command, metadata: { now, actor: CONTROLLER_ACTOR } };
    const fields = { action: action.kind, commandId: action.commandId, command: action.command.type, data: action.command.data };
    try {
      const result =
        action.target === 'device'
          ? await handleCommand({
              store,
              decider: deviceDecider,
              stream: { aggregateType: 'device', aggregateId: action.command.data.deviceId },
              command: stamped as DeviceCommand,
              metadata,
            })
          : await handleCommand({
              store,
              decider: gatewayDecider,
              stream: { aggregateType: 'gateway', aggregateId: action.command.data.gatewayId },
              command: stamped as GatewayCommand,
              metadata,
            });
      const position = result.events.at(-1)?.position ?? 0;
      if (position === 0) return { outcome: 'unchanged', position };
      logger.info('reconciled', { ...fields, events: result.events.map((e) => e.type) });
      return { outcome: 'applied', position };
    } catch (err) {
      if (isWasmbedError(err) && (err.code === 'failed_precondition' || err.code === 'not_found')) {
        logger.info('command refused by the domain; the state moved on', { ...fields, error: err.message });
        return { outcome: 'refused', position: 0 };
      }
      logger.warn('reconcile command failed; retried next pass', { ...fields, error: err });
      return { outcome: 'failed', position: 0 };
    }
  }
}
