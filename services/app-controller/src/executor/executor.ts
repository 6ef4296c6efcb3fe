import type { NatsConnection } from '@nats-io/transport-node';
import { sendDeviceCommand, type DeviceCommand, type DeviceCommandReply } from '@wasmbed/device-bus';
import { deviceDeployment, WaveNotReady } from '@wasmbed/domain';
import type { Logger } from '@wasmbed/service-kit';
import type { ControllerMetrics } from '../metrics';
import type { Action, CommandAction, DeployAction, StopAction } from '../planner/actions';
import { deployScope } from '../planner/attempts';
import { attemptKey, commandMemoKey, type DeviceAttempt } from '../view/types';
import type { ViewStore } from '../view/view-store';
import type { AppCommands } from './app-commands';
import { classifyReply, deployCommandFor, describeReply } from './device-command-builders';

export interface ExecutorDeps {
  readonly nc: NatsConnection;
  readonly commands: AppCommands;
  readonly view: ViewStore;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
  /** How long a device command waits for the gateway's reply. */
  readonly commandTimeoutMs: number;
  /** Called after every action settles: its outcome is news for the planner. */
  readonly settled: () => void;
}

const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/**
 * Performs the planner's actions. Before anything asynchronous it marks the
 * action in flight in the view, so a plan made meanwhile (a burst of events)
 * does not repeat it; afterwards it writes the outcome there for the next plan.
 */
export class Executor {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: ExecutorDeps) {}

  run(actions: readonly Action[]): void {
    for (const action of actions) {
      const done = this.perform(action)
        .catch((err: unknown) => this.deps.logger.error('an action failed unexpectedly', { action: action.kind, appId: action.appId, error: err }))
        .finally(() => {
          this.running.delete(done);
          this.deps.settled();
        });
      this.running.add(done);
    }
  }

  /** Resolves when every action under way has settled, or after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.running]), timeout]);
    clearTimeout(timer);
  }

  private perform(action: Action): Promise<void> {
    switch (action.kind) {
      case 'command':
        return this.command(action);
      case 'deploy':
        return this.deploy(action);
      case 'stop':
        return this.stop(action);
    }
  }

  private async command(action: CommandAction): Promise<void> {
    const { view, commands, metrics, logger, clock } = this.deps;
    const key = commandMemoKey(action.appId, action.key);
    const before = view.commands.get(key);
    const misses = before?.plannedAtVersion === action.plannedAtVersion ? before.misses : 0;
    const memo = { appId: action.appId, plannedAtVersion: action.plannedAtVersion, resultVersion: action.plannedAtVersion, misses };
    view.setCommand(key, { ...memo, inFlight: true, outcome: null, finishedAt: clock() });
    const type = action.command.type;
    try {
      const result = await commands.run(action.appId, action.key, action.plannedAtVersion, action.decidedAt, action.command);
      const outcome = result.recorded ? 'applied' : 'unchanged';
      view.setCommand(key, { ...memo, inFlight: false, outcome, resultVersion: result.version, finishedAt: clock(), misses: result.recorded ? 0 : misses + 1 });
      metrics.domainCommands.inc({ command: type, outcome });
      if (result.recorded) logger.info('recorded', { appId: action.appId, command: type, data: action.command.data });
    } catch (err) {
      view.setCommand(key, { ...memo, inFlight: false, outcome: 'refused', finishedAt: clock(), misses: misses + 1 });
      metrics.domainCommands.inc({ command: type, outcome: 'refused' });
      // A gate the domain sees as not passed yet is routine: the next pass asks again.
      const fields = { appId: action.appId, command: type, error: err };
      if (err instanceof WaveNotReady) logger.debug('application command not applied', fields);
      else logger.warn('application command not applied', fields);
    }
  }

  private async deploy(action: DeployAction): Promise<void> {
    const { view, commands, logger, clock } = this.deps;
    const key = attemptKey('deploy', action.appId, action.device);
    const scope = deployScope(action.rollout);
    const previous = view.attempts.get(key);
    let attempt: DeviceAttempt = previous?.scope === scope ? previous : freshAttempt('deploy', action.appId, scope, action.revision);
    const update = (change: Partial<DeviceAttempt>) => view.setAttempt(key, (attempt = { ...attempt, ...change }));
    const sendsBefore = attempt.sends;
    update({ inFlight: true });
    try {
      const entry = view.apps.get(action.appId);
      const spec = entry?.app.revisions[action.revision - 1]?.spec;
      if (entry === undefined || spec === undefined) return update({ inFlight: false });
      let command: DeviceCommand;
      try {
        command = deployCommandFor(action.appId, action.revision, spec);
      } catch (err) {
        // The stored spec cannot make a valid manifest: no device will ever take it.
        return update({ inFlight: false, sends: attempt.sends + 1, lastSentAt: clock(), lastReply: 'rejected', lastError: errorText(err) });
      }
      if (action.recordStarted) {
        const result = await commands.run(
          action.appId,
          `RecordDeviceDeploymentStarted/r${action.rollout}/${action.device}`,
          entry.version,
          clock(),
          { type: 'RecordDeviceDeploymentStarted', data: { applicationId: action.appId, device: action.device, revision: action.revision } },
        );
        const record = deviceDeployment(result.state, action.device);
        // The view was behind the log: the next plan, on a fresher view, decides again (not at once: no busy loop).
        if (record?.rollout !== action.rollout || record.status !== 'Deploying') return update({ inFlight: false, lastSentAt: clock() });
        const startedAt = Date.parse(record.since);
        // Started by someone else (an earlier instance): count its send, as after a restart.
        if (!result.recorded) return update({ inFlight: false, startedAt, sends: Math.max(1, attempt.sends), lastSentAt: attempt.lastSentAt ?? startedAt });
        update({ startedAt });
      }
      await this.send(action.device, command, action.purpose, update, () => attempt);
    } catch (err) {
      logger.warn('deploy failed', { appId: action.appId, device: action.device, error: err });
      update(failedTry(attempt, sendsBefore, clock(), err));
    }
  }

  private async stop(action: StopAction): Promise<void> {
    const { view, logger, clock } = this.deps;
    const key = attemptKey('stop', action.appId, action.device);
    const previous = view.attempts.get(key);
    let attempt: DeviceAttempt = previous?.scope === action.scope ? previous : freshAttempt('stop', action.appId, action.scope, null);
    const update = (change: Partial<DeviceAttempt>) => view.setAttempt(key, (attempt = { ...attempt, ...change }));
    const sendsBefore = attempt.sends;
    update({ inFlight: true });
    try {
      await this.send(action.device, { type: 'StopOnDevice', appId: action.appId }, action.purpose, update, () => attempt);
    } catch (err) {
      logger.warn('stop failed', { appId: action.appId, device: action.device, error: err });
      update(failedTry(attempt, sendsBefore, clock(), err));
    }
  }

  /** Sends one device command and records the send and its reply in the attempt. */
  private async send(
    device: string,
    command: DeviceCommand,
    purpose: string,
    update: (change: Partial<DeviceAttempt>) => void,
    current: () => DeviceAttempt,
  ): Promise<void> {
    const { nc, view, metrics, logger, clock, commandTimeoutMs } = this.deps;
    const sentAt = clock();
    const attempt = current();
    update({ sends: attempt.sends + 1, firstSentAt: attempt.firstSentAt ?? sentAt, lastSentAt: sentAt, sessionAtSend: view.attested.get(device)?.sessionId ?? null });
    const name = command.type === 'DeployToDevice' ? 'deploy' : 'stop';
    (name === 'deploy' ? metrics.deploysSent : metrics.stopsSent).inc({ purpose });
    logger.info(`sending ${command.type}`, { appId: command.appId, device, purpose, attempt: attempt.sends + 1 });
    const reply: DeviceCommandReply = await sendDeviceCommand(nc, device, command, { timeoutMs: commandTimeoutMs });
    const kind = classifyReply(reply);
    metrics.deviceReplies.inc({ command: name, reply: kind });
    if (!reply.ok) logger.info(`${command.type} not accepted`, { appId: command.appId, device, reply: kind, error: reply.error });
    update({ inFlight: false, lastReply: kind, lastError: describeReply(reply) });
  }
}

/**
 * An attempt that threw (store or connection trouble) is a transport problem.
 * If it failed before sending, it still counts as a try, so the back-off applies.
 */
function failedTry(attempt: DeviceAttempt, sendsBefore: number, now: number, err: unknown): Partial<DeviceAttempt> {
  const sent = attempt.sends > sendsBefore;
  return { inFlight: false, lastReply: 'transport', lastError: errorText(err), ...(sent ? {} : { sends: attempt.sends + 1, lastSentAt: now }) };
}

function freshAttempt(kind: DeviceAttempt['kind'], appId: string, scope: string, revision: number | null): DeviceAttempt {
  return {
    kind,
    appId,
    scope,
    revision,
    startedAt: null,
    sends: 0,
    firstSentAt: null,
    lastSentAt: null,
    sessionAtSend: null,
    inFlight: false,
    lastReply: null,
    lastError: null,
  };
}
