import { deviceDeployment, deviceDeployments, type Application, type Rollout } from './state';

/** Pure questions about an application's devices and rollouts, shared by decide and evolve. */

export function runsRevision(app: Application, device: string, revision: number): boolean {
  const record = deviceDeployment(app, device);
  return record?.revision === revision && record.status === 'Running';
}

/** Running when every target runs the rollout's revision, PartiallyRunning otherwise. */
export function settledPhase(app: Application, rollout: Rollout): 'Running' | 'PartiallyRunning' {
  return rollout.targets.every((d) => runsRevision(app, d, rollout.revision)) ? 'Running' : 'PartiallyRunning';
}

export interface WaveOutcome {
  readonly running: string[];
  readonly failed: string[];
  /** Devices with no outcome in this rollout yet (not reported, or only started). */
  readonly waiting: string[];
  /** When the last device of the wave reported its outcome, if all did. */
  readonly settledAt: string | null;
}

/** Outcomes count only when reported during this rollout, so an older rollout's results never settle a wave. */
export function waveOutcome(app: Application, rollout: Rollout, waveIndex: number): WaveOutcome {
  const outcome: WaveOutcome = { running: [], failed: [], waiting: [], settledAt: null };
  let settledAt: string | null = null;
  for (const device of rollout.waves[waveIndex]) {
    const record = deviceDeployment(app, device);
    if (record?.rollout !== rollout.rollout || record.status === 'Deploying' || record.status === 'Stopped') {
      outcome.waiting.push(device);
      continue;
    }
    (record.status === 'Running' ? outcome.running : outcome.failed).push(device);
    if (settledAt === null || Date.parse(record.since) > Date.parse(settledAt)) settledAt = record.since;
  }
  return { ...outcome, settledAt: outcome.waiting.length === 0 ? settledAt : null };
}

// A rollout's targets and waves never change once started (its other fields do,
// through copies that share these arrays), so their lookups are built once per
// array and kept while it lives: a wave of n devices is then O(n), not O(n²).
const targetSets = new WeakMap<readonly string[], ReadonlySet<string>>();
const waveIndexes = new WeakMap<readonly (readonly string[])[], ReadonlyMap<string, number>>();

export function isRolloutTarget(rollout: Rollout, device: string): boolean {
  let targets = targetSets.get(rollout.targets);
  if (targets === undefined) {
    targets = new Set(rollout.targets);
    targetSets.set(rollout.targets, targets);
  }
  return targets.has(device);
}

/** The index of the wave holding `device`, or -1 (not a target, or a target a rollback skipped). */
export function rolloutWaveOf(rollout: Rollout, device: string): number {
  let index = waveIndexes.get(rollout.waves);
  if (index === undefined) {
    const byDevice = new Map<string, number>();
    // The first wave naming a device wins, as a search from the front would find.
    rollout.waves.forEach((wave, i) => {
      for (const d of wave) if (!byDevice.has(d)) byDevice.set(d, i);
    });
    index = byDevice;
    waveIndexes.set(rollout.waves, index);
  }
  return index.get(device) ?? -1;
}

/** Targets whose deployment failed in this rollout. */
export function failedInRollout(app: Application, rollout: Rollout): string[] {
  return rollout.targets.filter((d) => {
    const record = deviceDeployment(app, d);
    return record?.rollout === rollout.rollout && record.status === 'Failed';
  });
}

/**
 * The revision a rollout rolls back to: the most recently completed revision other
 * than its own. A rollback rollout is never rolled back itself, so two bad
 * revisions cannot bounce between each other.
 */
export function rollbackTarget(app: Application, rollout: Rollout): number | null {
  if (rollout.kind === 'rollback') return null;
  const candidates = app.goodRevisions.filter((r) => r !== rollout.revision);
  return candidates.length > 0 ? candidates[candidates.length - 1] : null;
}

/** Devices that may still run the application, sorted. */
export function activeDevices(app: Application): string[] {
  return deviceDeployments(app)
    .filter(([, record]) => record.status !== 'Stopped')
    .map(([device]) => device);
}

export function isRolloutActive(rollout: Rollout | null): rollout is Rollout {
  return rollout?.status === 'InProgress' || rollout?.status === 'Paused';
}

/** The state named in InvalidTransition messages, e.g. "Deploying (rollout 2 Paused)". */
export function describeState(app: Application): string {
  return app.rollout ? `${app.phase} (rollout ${app.rollout.rollout} ${app.rollout.status})` : app.phase;
}
