import { ApplicationPhase, RolloutPhase, type Application, type ApplicationRevision, type DeploymentCounts, type DeviceFailure, type RolloutStatus } from '@wasmbed/proto';
import { rfc3339, settleConditions, truncate, type Condition, type ConditionDraft, type StatusExtra } from './conditions';
import { applicationPhaseName, rolloutPhaseName } from './phase-names';

export interface RolloutCounts {
  readonly pending: number;
  readonly deploying: number;
  readonly running: number;
  readonly failed: number;
  readonly stopped: number;
}

export interface RevisionStatus {
  readonly revision: number;
  /** Rollout phase: Pending, InProgress, Paused, Completed, RolledBack, Failed. */
  readonly phase: string;
  /** "current/total" waves, 1-based. */
  readonly wave: string;
  readonly counts: RolloutCounts;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

export interface FailingDevice {
  readonly device: string;
  readonly reason: string;
}

export interface ApplicationStatus {
  readonly phase: string;
  readonly observedGeneration?: number;
  readonly latestRevision: number;
  /** 0 = never deployed. */
  readonly deployedRevision: number;
  /** Hex SHA-256 of the deployed revision's module. */
  readonly moduleSha256?: string;
  /** "running/targets" of the deployed revision's rollout. */
  readonly readyDevices: string;
  /** The last few revisions that were rolled out, oldest first: a summary, never per-device lists. */
  readonly revisions: readonly RevisionStatus[];
  /** The first `maxFailingDevices` of the deployed revision's failing devices. */
  readonly failingDevices: readonly FailingDevice[];
  readonly failingDevicesTotal: number;
  readonly conditions: readonly Condition[];
}

export interface ApplicationStatusExtra extends StatusExtra {
  /** Default 10. */
  readonly maxFailingDevices?: number;
  /** Default 3. */
  readonly maxRevisions?: number;
}

export const DEFAULT_MAX_FAILING_DEVICES = 10;
export const DEFAULT_MAX_REVISIONS = 3;
const MAX_REASON_CHARS = 200;

const NO_COUNTS: RolloutCounts = { pending: 0, deploying: 0, running: 0, failed: 0, stopped: 0 };

/** Hex SHA-256 of one revision's module, or undefined when the application has no such revision. */
export function moduleSha256Of(app: Application, revision: number): string | undefined {
  const sha = app.revisions.find((r) => r.revision === revision)?.spec?.module?.sha256;
  return sha && sha.length > 0 ? Buffer.from(sha).toString('hex') : undefined;
}

const countsOf = (c: DeploymentCounts | undefined): RolloutCounts =>
  c ? { pending: c.pending, deploying: c.deploying, running: c.running, failed: c.failed, stopped: c.stopped } : NO_COUNTS;
const totalOf = (c: RolloutCounts): number => c.pending + c.deploying + c.running + c.failed + c.stopped;

function revisionStatus(r: ApplicationRevision & { rollout: RolloutStatus }): RevisionStatus {
  const ro = r.rollout;
  return {
    revision: r.revision,
    phase: rolloutPhaseName(ro.phase),
    wave: `${ro.waves.length === 0 ? 0 : Math.min(ro.currentWave + 1, ro.waves.length)}/${ro.waves.length}`,
    counts: countsOf(ro.counts),
    ...(ro.message ? { message: truncate(ro.message, MAX_REASON_CHARS) } : {}),
    ...(ro.startedAt ? { startedAt: rfc3339(ro.startedAt) } : {}),
    ...(ro.finishedAt ? { finishedAt: rfc3339(ro.finishedAt) } : {}),
  };
}

const hasRollout = (r: ApplicationRevision): r is ApplicationRevision & { rollout: RolloutStatus } => r.rollout !== undefined;

function derivedConditions(app: Application, rollout: RolloutStatus | undefined, counts: RolloutCounts, failing: readonly DeviceFailure[]): ConditionDraft[] {
  const r = app.deployedRevision;
  const running = `${counts.running}/${totalOf(counts)} devices run revision ${r}`;
  const why = rollout?.message ?? '';
  const c = (type: string, status: ConditionDraft['status'], reason: string, message: string): ConditionDraft => ({ type, status, reason, message });
  const wave = rollout ? `wave ${Math.min(rollout.currentWave + 1, rollout.waves.length)}/${rollout.waves.length}` : '';
  let available: ConditionDraft;
  let progressing: ConditionDraft;
  switch (app.phase) {
    case ApplicationPhase.APPLICATION_PHASE_CREATING:
      available = c('Available', 'False', 'NotDeployed', 'no revision deployed yet');
      progressing = c('Progressing', 'False', 'NotDeployed', 'no revision deployed yet');
      break;
    case ApplicationPhase.APPLICATION_PHASE_DEPLOYING: {
      available = c('Available', counts.running > 0 ? 'True' : 'False', 'RolloutInProgress', running);
      const paused = rollout?.phase === RolloutPhase.ROLLOUT_PHASE_PAUSED;
      progressing = paused
        ? c('Progressing', 'False', 'RolloutPaused', why || `rollout of revision ${r} paused at ${wave}`)
        : c('Progressing', 'True', 'RolloutInProgress', `revision ${r}, ${wave}: ${running}, ${counts.failed} failed`);
      break;
    }
    case ApplicationPhase.APPLICATION_PHASE_RUNNING:
      available = c('Available', 'True', 'AllDevicesRunning', running);
      progressing = c('Progressing', 'False', 'RolloutCompleted', `revision ${r} rolled out`);
      break;
    case ApplicationPhase.APPLICATION_PHASE_PARTIALLY_RUNNING:
      available = c('Available', 'True', 'PartiallyRunning', `${running}, ${counts.failed} failed`);
      progressing = c('Progressing', 'False', 'RolloutCompleted', `revision ${r} rolled out with ${counts.failed} failed devices`);
      break;
    case ApplicationPhase.APPLICATION_PHASE_FAILED:
      available = c('Available', 'False', 'RolloutFailed', why || `rollout of revision ${r} failed`);
      progressing = c('Progressing', 'False', 'RolloutFailed', why || `rollout of revision ${r} failed`);
      break;
    case ApplicationPhase.APPLICATION_PHASE_STOPPING:
      available = c('Available', 'False', 'Stopping', 'stopping on every device');
      progressing = c('Progressing', 'True', 'Stopping', 'stopping on every device');
      break;
    case ApplicationPhase.APPLICATION_PHASE_STOPPED:
      available = c('Available', 'False', 'Stopped', 'stopped on every device');
      progressing = c('Progressing', 'False', 'Stopped', 'stopped on every device');
      break;
    case ApplicationPhase.APPLICATION_PHASE_DELETING:
      available = c('Available', 'False', 'Deleting', 'stopping on every device before deletion');
      progressing = c('Progressing', 'True', 'Deleting', 'stopping on every device before deletion');
      break;
    default:
      available = c('Available', 'Unknown', 'Unknown', `phase ${applicationPhaseName(app.phase)}`);
      progressing = c('Progressing', 'Unknown', 'Unknown', `phase ${applicationPhaseName(app.phase)}`);
  }
  return [available, progressing, degradedCondition(app, rollout, counts, failing)];
}

function degradedCondition(app: Application, rollout: RolloutStatus | undefined, counts: RolloutCounts, failing: readonly DeviceFailure[]): ConditionDraft {
  const c = (status: ConditionDraft['status'], reason: string, message: string): ConditionDraft => ({ type: 'Degraded', status, reason, message });
  if (app.phase === ApplicationPhase.APPLICATION_PHASE_FAILED) return c('True', 'RolloutFailed', rollout?.message || `rollout of revision ${app.deployedRevision} failed`);
  // An automatic rollback leaves the newer revision RolledBack while the old one runs again.
  const rolledBack = app.revisions.filter((r) => r.revision > app.deployedRevision && r.rollout?.phase === RolloutPhase.ROLLOUT_PHASE_ROLLED_BACK).at(-1);
  if (rolledBack) return c('True', 'RolledBack', `revision ${rolledBack.revision} was rolled back${rolledBack.rollout?.message ? `: ${rolledBack.rollout.message}` : ''}`);
  if (counts.failed > 0) {
    const first = failing.slice(0, 3).map((f) => f.device);
    return c('True', 'DevicesFailed', `${counts.failed} devices failed${first.length ? ` (${first.join(', ')}${counts.failed > first.length ? ', …' : ''})` : ''}`);
  }
  return c('False', 'AsExpected', '');
}

/**
 * The status subresource of an Application object for its read model. Pure. Sized for
 * fleets: per-device data is cut to the first failing devices, so 10,000 targets cost
 * no more than ten.
 */
export function projectApplicationStatus(app: Application, extra: ApplicationStatusExtra = {}): ApplicationStatus {
  const deployed = app.revisions.find((r) => r.revision === app.deployedRevision);
  const rollout = deployed?.rollout;
  const counts = countsOf(rollout?.counts);
  // Earliest failures first: the list a user sees stays put while more devices fail.
  const failing = [...(rollout?.failingDevices ?? [])].sort(
    (a, b) => (a.failedAt?.getTime() ?? 0) - (b.failedAt?.getTime() ?? 0) || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0),
  );
  const sha = moduleSha256Of(app, app.deployedRevision);
  const maxRevisions = extra.maxRevisions ?? DEFAULT_MAX_REVISIONS;
  return {
    phase: applicationPhaseName(app.phase),
    ...(extra.observedGeneration === undefined ? {} : { observedGeneration: extra.observedGeneration }),
    latestRevision: app.latestRevision,
    deployedRevision: app.deployedRevision,
    ...(sha ? { moduleSha256: sha } : {}),
    readyDevices: `${counts.running}/${totalOf(counts)}`,
    revisions: maxRevisions > 0 ? app.revisions.filter(hasRollout).slice(-maxRevisions).map(revisionStatus) : [],
    failingDevices: failing.slice(0, extra.maxFailingDevices ?? DEFAULT_MAX_FAILING_DEVICES).map((f) => ({ device: f.device, reason: truncate(f.reason, MAX_REASON_CHARS) })),
    failingDevicesTotal: failing.length,
    conditions: settleConditions(derivedConditions(app, rollout, counts, failing), extra, app.updatedAt ?? app.createdAt ?? new Date(0)),
  };
}
