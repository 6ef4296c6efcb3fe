import { ApplicationPhase, ChangeKind, RolloutPhase, type Application, type ApplicationChange } from '@wasmbed/proto';
import { enumShortName } from '../enums';
import type { RolloutProgress } from '../output/progress-bar';

/** How a watched rollout ended: ok = completed. */
export interface Verdict {
  readonly ok: boolean;
  readonly message: string;
}

/** What one change means for the watched rollout. */
export interface Observation {
  /** The tracked revision's rollout, once there is one. */
  readonly progress?: RolloutProgress;
  /** Why there is nothing to show yet (never deployed). */
  readonly waiting?: string;
  /** Set once the rollout has ended. */
  readonly verdict?: Verdict;
}

export interface TrackerOptions {
  /** Revision to follow; default: the application's deployed revision when first seen. */
  readonly revision?: number;
  /** Changes before this log position predate the command that started the rollout. */
  readonly minPosition?: number;
}

const STOPPED_PHASES = new Set([ApplicationPhase.APPLICATION_PHASE_STOPPING, ApplicationPhase.APPLICATION_PHASE_STOPPED, ApplicationPhase.APPLICATION_PHASE_DELETING]);

/**
 * Follows one revision's rollout through WatchApplications changes until it
 * ends: COMPLETED is success; FAILED or ROLLED_BACK, the application stopping
 * or being deleted, failure. A failed rollout ends the watch at once, before
 * the automatic rollback that follows it.
 */
export class RolloutTracker {
  private revision: number | undefined;
  private readonly minPosition: number;

  constructor(
    readonly application: string,
    options: TrackerOptions = {},
  ) {
    this.revision = options.revision;
    this.minPosition = options.minPosition ?? 0;
  }

  /** undefined when the change is about another application or predates the rollout. */
  observe(change: ApplicationChange): Observation | undefined {
    const app = change.application;
    if (app === undefined || app.name !== this.application || change.position < this.minPosition) return undefined;
    if (change.kind === ChangeKind.CHANGE_KIND_DELETED) {
      return { verdict: { ok: false, message: `application ${app.name} was deleted` } };
    }
    this.revision ??= app.deployedRevision === 0 ? undefined : app.deployedRevision;
    if (this.revision === undefined) return { waiting: `application ${app.name} has never been deployed; waiting for a rollout` };
    const progress = progressOf(app, this.revision);
    if (progress === undefined) return { waiting: `revision ${this.revision} of ${app.name} has no rollout yet` };
    return { progress, verdict: verdictOf(app, this.revision, progress) };
  }
}

/** The rollout of `revision` as a progress line's input; undefined while it has none. */
export function progressOf(app: Application, revision: number): RolloutProgress | undefined {
  const rollout = app.revisions.find((r) => r.revision === revision)?.rollout;
  if (rollout === undefined) return undefined;
  return {
    application: app.name,
    revision,
    phase: enumShortName(RolloutPhase, 'ROLLOUT_PHASE_', rollout.phase),
    wave: rollout.currentWave,
    waves: rollout.waves.length,
    counts: rollout.counts ?? { pending: 0, deploying: 0, running: 0, failed: 0, stopped: 0 },
  };
}

function verdictOf(app: Application, revision: number, progress: RolloutProgress): Verdict | undefined {
  const rollout = app.revisions.find((r) => r.revision === revision)?.rollout;
  const why = rollout?.message ? `: ${rollout.message}` : '';
  switch (rollout?.phase) {
    case RolloutPhase.ROLLOUT_PHASE_COMPLETED:
      return { ok: true, message: `rollout of ${app.name} revision ${revision} completed (${enumShortName(ApplicationPhase, 'APPLICATION_PHASE_', app.phase)}, ${progress.counts.running} running)` };
    case RolloutPhase.ROLLOUT_PHASE_ROLLED_BACK:
      return { ok: false, message: `rollout of ${app.name} revision ${revision} was rolled back${why}` };
    case RolloutPhase.ROLLOUT_PHASE_FAILED:
      return { ok: false, message: `rollout of ${app.name} revision ${revision} failed${why}` };
    default:
      if (STOPPED_PHASES.has(app.phase)) {
        return { ok: false, message: `application ${app.name} is ${enumShortName(ApplicationPhase, 'APPLICATION_PHASE_', app.phase)}; the rollout will not finish` };
      }
      return undefined;
  }
}
