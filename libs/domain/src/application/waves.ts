import { sortedUnique } from '../shared/canonical';
import type { DeviceCount, RolloutStrategy } from './spec';

/**
 * Splits the targets of a rollout into waves: the first `canary` devices of the
 * sorted list, then batches of `batchSize`. Deterministic: the same targets and
 * strategy always give the same plan, whatever order the caller listed them in.
 */
export function planWaves(targets: readonly string[], strategy: Pick<RolloutStrategy, 'canary' | 'batchSize'>): string[][] {
  const devices = sortedUnique(targets);
  const waves: string[][] = [];
  const canary = Math.min(strategy.canary, devices.length);
  if (canary > 0) waves.push(devices.slice(0, canary));
  const batch = Math.max(1, resolveCount(strategy.batchSize, devices.length, 'up'));
  for (let i = canary; i < devices.length; i += batch) waves.push(devices.slice(i, i + batch));
  return waves;
}

/** A count or a percentage of `total`, rounded as asked. */
export function resolveCount(count: DeviceCount, total: number, rounding: 'up' | 'down'): number {
  if (typeof count === 'number') return count;
  // percent * total first: dividing by 100 last keeps whole results exact (10% of 30 is 3, not 3.0000000000000004).
  const exact = (count.percent * total) / 100;
  return rounding === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

/** How many failed devices a wave of `waveSize` tolerates before the rollout fails. */
export function failureAllowance(threshold: DeviceCount, waveSize: number): number {
  return resolveCount(threshold, waveSize, 'down');
}
