import { sameValue } from '../shared/canonical';
import { InvalidCommand, InvalidTransition } from '../shared/errors';
import type { CommandMetadata } from '../shared/messages';
import { addSeconds, isBefore } from '../shared/time';
import {
  requireBoolean,
  requireName,
  requireNameSet,
  requireNonNegativeInt,
  requirePositiveInt,
  requireSha256,
  requireText,
} from '../shared/validation';
import type {
  AdvanceWave,
  DeployApplication,
  PauseRollout,
  RecordDeviceDeploymentStarted,
  RecordDeviceFailed,
  RecordDeviceRunning,
  RollbackRollout,
} from './commands';
import { NoRollbackTarget, RevisionNotFound, WaveNotReady } from './errors';
import type { ApplicationEvent, RolloutCompleted, RolloutKind, RolloutStarted } from './events';
import { evolveApplication } from './evolve';
import {
  describeState,
  failedInRollout,
  isRolloutActive,
  isRolloutTarget,
  rollbackTarget,
  runsRevision,
  settledPhase,
  rolloutWaveOf,
  waveOutcome,
} from './rollout-queries';
import { requireStrategy, type RolloutStrategy } from './spec';
import { deviceDeployment, latestRevision, type Application, type ApplicationPhase, type Revision, type Rollout } from './state';
import { failureAllowance, planWaves } from './waves';

/**
 * Rollout decisions. The rollout process manager drives them: it deploys each
 * WaveStarted's devices and reports outcomes, sends AdvanceWave once a wave has
 * settled and its health gate passed (WaveNotReady tells it to wait), and answers
 * a RolloutFailed that names `rollbackTo` with RollbackRollout { automatic: true }.
 * A device that never answers must be reported as failed by the process manager
 * (deployment timeout): the decider has no timers.
 */

const DEPLOYABLE: readonly ApplicationPhase[] = ['Creating', 'Running', 'PartiallyRunning', 'Failed', 'Stopped'];
/** Phases in which devices may still report deployment outcomes for the latest rollout. */
const REPORTING: readonly ApplicationPhase[] = ['Deploying', 'Running', 'PartiallyRunning', 'Failed'];

export type Data<C extends { data: unknown }> = { readonly [K in keyof C['data']]?: unknown };

export function decideDeploy(app: Application, data: Data<DeployApplication>, meta: CommandMetadata): ApplicationEvent[] {
  const targets = requireNameSet('data.targets', data.targets);
  const revision = requireRevision(app, data.revision === undefined ? latestRevision(app) : requirePositiveInt('data.revision', data.revision));
  const strategy = data.strategy === undefined ? revision.spec.strategy : requireStrategy('data.strategy', data.strategy);
  const current = app.rollout;
  // Asking again for the rollout that is under way, or already done everywhere, changes nothing.
  if (current?.revision === revision.revision && sameValue(current.targets, targets)) {
    if (app.phase === 'Running' && !isRolloutActive(current)) return [];
    if (isRolloutActive(current)) {
      if (sameValue(current.strategy, strategy)) return [];
      // A second strategy for the rollout under way would silently be ignored: say so instead.
      throw new InvalidTransition('DeployApplication with another strategy', 'application', app.applicationId, `${describeState(app)}; pause or roll back first`);
    }
  }
  if (!DEPLOYABLE.includes(app.phase)) throw new InvalidTransition('DeployApplication', 'application', app.applicationId, describeState(app));
  const selection = revision.spec.targets;
  if ('deviceNames' in selection) {
    const outside = targets.filter((d) => !selection.deviceNames.includes(d));
    if (outside.length > 0) {
      throw new InvalidCommand('data.targets', `${outside.join(', ')} not among the deviceNames of revision ${revision.revision}`);
    }
  }
  return startRollout(app, { revision: revision.revision, kind: 'deploy', targets, waves: planWaves(targets, strategy), strategy }, meta);
}

export type OutcomeCommand = RecordDeviceDeploymentStarted | RecordDeviceRunning | RecordDeviceFailed;

export function decideDeviceOutcome(
  app: Application,
  type: OutcomeCommand['type'],
  data: Data<RecordDeviceRunning> & Data<RecordDeviceFailed>,
  meta: CommandMetadata,
): ApplicationEvent[] {
  const device = requireName('data.device', data.device);
  const revision = requireRevision(app, requirePositiveInt('data.revision', data.revision));
  const sha256 = type === 'RecordDeviceRunning' ? requireSha256('data.sha256', data.sha256) : null;
  const reason = type === 'RecordDeviceFailed' ? requireText('data.reason', data.reason, 1024) : null;
  const rollout = app.rollout;
  if (!rollout || !REPORTING.includes(app.phase)) throw new InvalidTransition(type, 'application', app.applicationId, describeState(app));
  // A late report about an earlier rollout: the device is (or will be) redeployed by the current one.
  if (rollout.revision !== revision.revision) return [];
  if (!isRolloutTarget(rollout, device)) throw new InvalidCommand('data.device', `'${device}' is not a target of rollout ${rollout.rollout}`);

  const record = deviceDeployment(app, device);
  const current = record?.rollout === rollout.rollout ? record.status : null;
  const base = { applicationId: app.applicationId, rollout: rollout.rollout, revision: revision.revision, device };
  if (sha256 !== null) {
    if (sha256 !== revision.spec.module.sha256) {
      throw new InvalidCommand('data.sha256', `does not match the module of revision ${revision.revision}`);
    }
    return current === 'Running' ? [] : [{ type: 'DeviceRunning', data: { ...base, sha256, runningAt: meta.now } }];
  }
  if (reason !== null) {
    if (current === 'Failed') return [];
    const failed: ApplicationEvent = { type: 'DeviceDeploymentFailed', data: { ...base, reason, failedAt: meta.now } };
    return [failed, ...checkFailureThreshold(evolveTo(app, failed), rollout, device, meta)];
  }
  // A start reported after an outcome of the same rollout is a stale duplicate.
  return current === null ? [{ type: 'DeviceDeploymentStarted', data: { ...base, startedAt: meta.now } }] : [];
}

/** Fails the rollout as soon as the device's wave has more failures than it tolerates. */
function checkFailureThreshold(app: Application, rollout: Rollout, device: string, meta: CommandMetadata): ApplicationEvent[] {
  const waveIndex = rolloutWaveOf(rollout, device);
  // Only an unfinished rollout can fail; a target outside every wave (skipped by a rollback) has no wave to fail.
  if (!isRolloutActive(rollout) || waveIndex < 0) return [];
  const waveSize = rollout.waves[waveIndex].length;
  const { failed } = waveOutcome(app, rollout, waveIndex);
  const allowed = failureAllowance(rollout.strategy.failureThreshold, waveSize);
  if (failed.length <= allowed) return [];
  return [
    {
      type: 'RolloutFailed',
      data: {
        applicationId: app.applicationId,
        rollout: rollout.rollout,
        revision: rollout.revision,
        waveIndex,
        failedDevices: failed,
        reason: `${failed.length} of ${waveSize} devices failed in wave ${waveIndex} (at most ${allowed} tolerated)`,
        rollbackTo: rollbackTarget(app, rollout),
        failedAt: meta.now,
      },
    },
  ];
}

export function decideAdvanceWave(app: Application, data: Data<AdvanceWave>, meta: CommandMetadata): ApplicationEvent[] {
  const rolloutNumber = requirePositiveInt('data.rollout', data.rollout);
  const waveIndex = requireNonNegativeInt('data.waveIndex', data.waveIndex);
  const rollout = app.rollout;
  if (!rollout || rolloutNumber > rollout.rollout) throw new InvalidCommand('data.rollout', `rollout ${rolloutNumber} does not exist`);
  // A repeated or late timer: that wave is already behind us.
  if (rolloutNumber < rollout.rollout || waveIndex < rollout.completedWaves) return [];
  if (rollout.status !== 'InProgress') throw new InvalidTransition('AdvanceWave', 'application', app.applicationId, describeState(app));
  if (waveIndex !== rollout.currentWave) throw new InvalidCommand('data.waveIndex', `rollout ${rollout.rollout} is at wave ${rollout.currentWave}`);

  const outcome = waveOutcome(app, rollout, waveIndex);
  const notReady = (reason: string) => new WaveNotReady(app.applicationId, rollout.rollout, waveIndex, reason);
  if (outcome.settledAt === null) throw notReady(`no outcome yet from ${outcome.waiting.join(', ')}`);
  const gateEnds = addSeconds(outcome.settledAt, rollout.strategy.healthGateSeconds);
  if (isBefore(meta.now, gateEnds)) throw notReady(`health gate ends at ${gateEnds}`);

  const base = { applicationId: app.applicationId, rollout: rollout.rollout };
  const waveCompleted: ApplicationEvent = {
    type: 'WaveCompleted',
    data: { ...base, waveIndex, running: outcome.running.length, failed: outcome.failed.length, completedAt: meta.now },
  };
  const next = waveIndex + 1;
  if (next < rollout.waves.length) {
    return [waveCompleted, { type: 'WaveStarted', data: { ...base, waveIndex: next, devices: [...rollout.waves[next]], startedAt: meta.now } }];
  }
  return [waveCompleted, rolloutCompleted(evolveTo(app, waveCompleted), meta)];
}

export function decidePause(app: Application, data: Data<PauseRollout>, meta: CommandMetadata): ApplicationEvent[] {
  const reason = data.reason === undefined ? null : requireText('data.reason', data.reason);
  const rollout = app.rollout;
  if (rollout?.status === 'Paused') return [];
  if (rollout?.status !== 'InProgress') throw new InvalidTransition('PauseRollout', 'application', app.applicationId, describeState(app));
  return [{ type: 'RolloutPaused', data: { applicationId: app.applicationId, rollout: rollout.rollout, reason, pausedAt: meta.now, pausedBy: meta.actor } }];
}

export function decideResume(app: Application, meta: CommandMetadata): ApplicationEvent[] {
  const rollout = app.rollout;
  if (rollout?.status === 'InProgress') return [];
  if (rollout?.status !== 'Paused') throw new InvalidTransition('ResumeRollout', 'application', app.applicationId, describeState(app));
  return [{ type: 'RolloutResumed', data: { applicationId: app.applicationId, rollout: rollout.rollout, resumedAt: meta.now, resumedBy: meta.actor } }];
}

/**
 * Rolls back to the last good revision by starting a 'rollback' rollout of it over
 * the same targets: one wave, holding only the targets not already running it.
 */
export function decideRollback(app: Application, data: Data<RollbackRollout>, meta: CommandMetadata): ApplicationEvent[] {
  const reason = requireText('data.reason', data.reason, 1024);
  const automatic = requireBoolean('data.automatic', data.automatic);
  const rollout = app.rollout;
  const failedAwaitingRollback = rollout?.status === 'Failed' && app.phase === 'Failed';
  if (!rollout || !(isRolloutActive(rollout) || failedAwaitingRollback)) {
    throw new InvalidTransition('RollbackRollout', 'application', app.applicationId, describeState(app));
  }
  const toRevision = rollbackTarget(app, rollout);
  if (toRevision === null) {
    const why = rollout.kind === 'rollback' ? `rollout ${rollout.rollout} is itself a rollback` : 'no other revision has completed a rollout';
    throw new NoRollbackTarget(app.applicationId, rollout.rollout, why);
  }
  const rolledBack: ApplicationEvent = {
    type: 'RolloutRolledBack',
    data: {
      applicationId: app.applicationId,
      rollout: rollout.rollout,
      revision: rollout.revision,
      toRevision,
      reason,
      automatic,
      rolledBackAt: meta.now,
      rolledBackBy: meta.actor,
    },
  };
  const targets = [...rollout.targets];
  const wave = targets.filter((d) => !runsRevision(app, d, toRevision));
  // Rolling back is urgent: no canary, one wave; the good revision's gate and threshold still apply.
  const strategy: RolloutStrategy = { ...app.revisions[toRevision - 1].spec.strategy, canary: 0, batchSize: { percent: 100 } };
  const plan = { revision: toRevision, kind: 'rollback' as const, targets, waves: wave.length > 0 ? [wave] : [], strategy };
  return [rolledBack, ...startRollout(evolveTo(app, rolledBack), plan, meta)];
}

interface RolloutPlan {
  readonly revision: number;
  readonly kind: RolloutKind;
  readonly targets: string[];
  readonly waves: string[][];
  readonly strategy: RolloutStrategy;
}

/** RolloutStarted plus its first wave, or plus RolloutCompleted when there is nothing to deploy. */
function startRollout(app: Application, plan: RolloutPlan, meta: CommandMetadata): ApplicationEvent[] {
  const rollout = (app.rollout?.rollout ?? 0) + 1;
  const started: RolloutStarted = {
    type: 'RolloutStarted',
    data: { applicationId: app.applicationId, rollout, ...plan, startedAt: meta.now, startedBy: meta.actor },
  };
  if (plan.waves.length === 0) return [started, rolloutCompleted(evolveTo(app, started), meta)];
  return [started, { type: 'WaveStarted', data: { applicationId: app.applicationId, rollout, waveIndex: 0, devices: plan.waves[0], startedAt: meta.now } }];
}

function rolloutCompleted(app: Application, meta: CommandMetadata): RolloutCompleted {
  const rollout = app.rollout as Rollout;
  return {
    type: 'RolloutCompleted',
    data: {
      applicationId: app.applicationId,
      rollout: rollout.rollout,
      revision: rollout.revision,
      phase: settledPhase(app, rollout),
      running: rollout.targets.filter((d) => runsRevision(app, d, rollout.revision)).length,
      failed: failedInRollout(app, rollout).length,
      completedAt: meta.now,
    },
  };
}

function requireRevision(app: Application, revision: number): Revision {
  const found = app.revisions[revision - 1];
  if (!found) throw new RevisionNotFound(app.applicationId, revision);
  return found;
}

/** The state after an event decided in this same decision (decide may look ahead; it stays pure). */
function evolveTo(app: Application, event: ApplicationEvent): Application {
  return evolveApplication(app, event) as Application;
}
