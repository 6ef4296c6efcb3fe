import { applicationDecider, type Application, type ApplicationCommand } from '@wasmbed/domain';
import { handleCommand, type EventStore } from '@wasmbed/event-log';
import type { CommandIntent } from '../planner/actions';

export interface AppCommandResult {
  readonly recorded: boolean;
  /** The application's stream version after the command. */
  readonly version: number;
  readonly state: Application;
}

/**
 * Runs application commands one at a time per application (they all write the
 * same stream: in parallel they would only conflict), through handleCommand.
 * The command id derives from the application, the version the decision was
 * planned at and the intent's key: the same decision retried (after a lost
 * ack, or by a restarted controller) is recognised and never applied twice.
 */
export class AppCommands {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly actor: string,
  ) {}

  run(appId: string, key: string, plannedAtVersion: number, decidedAt: number, intent: CommandIntent): Promise<AppCommandResult> {
    const previous = this.queues.get(appId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.handle(appId, key, plannedAtVersion, decidedAt, intent));
    this.queues.set(appId, next);
    void next.finally(() => {
      if (this.queues.get(appId) === next) this.queues.delete(appId);
    }).catch(() => undefined);
    return next;
  }

  private async handle(appId: string, key: string, plannedAtVersion: number, decidedAt: number, intent: CommandIntent): Promise<AppCommandResult> {
    const commandId = `app-controller/${appId}/v${plannedAtVersion}/${key}`;
    const now = new Date(decidedAt).toISOString();
    const result = await handleCommand({
      store: this.store,
      decider: applicationDecider,
      stream: { aggregateType: 'application', aggregateId: appId },
      command: { ...intent, metadata: { now, actor: this.actor } } as ApplicationCommand,
      metadata: { commandId, correlationId: commandId, actor: this.actor, now },
    });
    return { recorded: result.events.length > 0, version: result.nextExpectedVersion, state: result.state as Application };
  }
}
