import { applicationDecider, type Application, type ApplicationCommand } from '@wasmbed/domain';
import { handleCommand, type EventStore } from '@wasmbed/event-log';
import type { CommandIntent } from '../planner/actions';
import {
  batchCommandKey,
  batchIntent,
  isOutcomeIntent,
  nextBatchSize,
  pendingOutcome,
  recordedFor,
  refusedMember,
  type PendingOutcome,
} from './outcome-batch';

export interface AppCommandResult {
  /** Whether the command recorded events (for a device outcome: that device's event). */
  readonly recorded: boolean;
  /** The application's stream version after the command. */
  readonly version: number;
  readonly state: Application;
}

interface Waiting extends PendingOutcome {
  readonly resolve: (result: AppCommandResult) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Runs application commands one at a time per application (they all write the
 * same stream: in parallel they would only conflict), through handleCommand.
 * The command id derives from the application, the version the decision was
 * planned at and the intent's key: the same decision retried (after a lost
 * ack, or by a restarted controller) is recognised and never applied twice.
 *
 * Device outcomes (started / running / failed) wait for the application's next
 * turn and go together as one RecordDeviceOutcomes: a wave of a thousand devices
 * is a few commits, not thousands of appends in a row.
 */
export class AppCommands {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Per application, the outcomes of its last queued turn, while later outcomes may still join it. */
  private readonly waiting = new Map<string, Waiting[]>();
  /**
   * Each application's state after this process' last command on it: the next
   * command is decided on it without re-reading the stream (long, for an app with
   * many devices). Another writer in between costs one version conflict and a read.
   */
  private readonly known = new Map<string, { readonly state: Application; readonly streamVersion: number }>();

  constructor(
    private readonly store: EventStore,
    private readonly actor: string,
  ) {}

  run(appId: string, key: string, plannedAtVersion: number, decidedAt: number, intent: CommandIntent): Promise<AppCommandResult> {
    if (isOutcomeIntent(intent)) {
      return new Promise((resolve, reject) => this.enqueue(appId, { ...pendingOutcome(key, plannedAtVersion, decidedAt, intent), resolve, reject }));
    }
    // Outcomes arriving after this command must not join a turn queued before it.
    this.waiting.delete(appId);
    return this.inTurn(appId, async () => {
      const result = await this.handle(appId, `v${plannedAtVersion}/${key}`, decidedAt, intent);
      return { recorded: result.events.length > 0, version: result.version, state: result.state };
    });
  }

  private inTurn<T>(appId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(appId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.queues.set(appId, next);
    void next.finally(() => {
      if (this.queues.get(appId) === next) this.queues.delete(appId);
    }).catch(() => undefined);
    return next;
  }

  /** Joins the application's last queued turn for outcomes, or queues one. */
  private enqueue(appId: string, outcome: Waiting): void {
    const open = this.waiting.get(appId);
    if (open !== undefined) {
      open.push(outcome);
      return;
    }
    const list = [outcome];
    this.waiting.set(appId, list);
    // Never rejects: each outcome's own promise is settled.
    void this.inTurn(appId, () => this.recordOutcomes(appId, list));
  }

  /** One turn: the outcomes gathered for it, oldest first, in as few bounded commands as it takes. */
  private async recordOutcomes(appId: string, list: Waiting[]): Promise<void> {
    if (this.waiting.get(appId) === list) this.waiting.delete(appId);
    while (list.length > 0) {
      const members = list.splice(0, nextBatchSize(list));
      list.unshift(...(await this.recordBatch(appId, members)));
    }
  }

  /** Records `members` as one command and settles their promises; returns those to try again without a refused one. */
  private async recordBatch(appId: string, members: Waiting[]): Promise<Waiting[]> {
    // Decided as of the latest member's pass; each outcome keeps its own time (`at`).
    const decidedAt = Math.max(...members.map((m) => m.decidedAt));
    try {
      const result = await this.handle(appId, batchCommandKey(members), decidedAt, batchIntent(appId, members));
      for (const m of members) m.resolve({ recorded: recordedFor(m, result.events), version: result.version, state: result.state });
      return [];
    } catch (err) {
      const refused = members.length > 1 ? refusedMember(err) : null;
      if (refused === null || refused >= members.length) {
        for (const m of members) m.reject(err);
        return [];
      }
      // Only that outcome is refused (say, a device no longer a target): the others go again without it.
      members[refused].reject(err);
      return members.filter((_, i) => i !== refused);
    }
  }

  private async handle(appId: string, commandKey: string, decidedAt: number, intent: CommandIntent) {
    const commandId = `app-controller/${appId}/${commandKey}`;
    const now = new Date(decidedAt).toISOString();
    const knownState = this.known.get(appId);
    this.known.delete(appId);
    const result = await handleCommand({
      store: this.store,
      decider: applicationDecider,
      stream: { aggregateType: 'application', aggregateId: appId },
      command: { ...intent, metadata: { now, actor: this.actor } } as ApplicationCommand,
      metadata: { commandId, correlationId: commandId, actor: this.actor, now },
      ...(knownState === undefined ? {} : { knownState }),
    });
    const state = result.state as Application;
    if (state.phase !== 'Deleted') this.known.set(appId, { state, streamVersion: result.nextExpectedVersion });
    return { events: result.events, version: result.nextExpectedVersion, state };
  }
}
