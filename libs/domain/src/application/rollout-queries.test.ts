import fc from 'fast-check';
import { DEFAULT_STRATEGY } from './spec';
import { isRolloutTarget, rolloutWaveOf } from './rollout-queries';
import type { Rollout } from './state';

function rolloutOf(targets: string[], waves: string[][]): Rollout {
  return {
    rollout: 1,
    revision: 1,
    kind: 'deploy',
    targets,
    waves,
    strategy: DEFAULT_STRATEGY,
    status: 'InProgress',
    currentWave: 0,
    completedWaves: 0,
    startedAt: '2024-05-01T10:00:00.000Z',
  };
}

describe('rollout lookups', () => {
  const name = fc.constantFrom<string>('d1', 'd2', 'd3', 'd4', 'd5', 'd6');

  it('answer like a search of the targets and waves, for copies of the rollout too', () => {
    fc.assert(
      fc.property(fc.array(name), fc.array(fc.array(name)), (targets, waves) => {
        const rollout = rolloutOf(targets, waves);
        const later: Rollout = { ...rollout, status: 'Completed', currentWave: 1 };
        for (const device of ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'other']) {
          for (const r of [rollout, later]) {
            expect(isRolloutTarget(r, device)).toBe(targets.includes(device));
            expect(rolloutWaveOf(r, device)).toBe(waves.findIndex((wave) => wave.includes(device)));
          }
        }
      }),
    );
  });

  it('tell rollouts with different targets apart', () => {
    expect(isRolloutTarget(rolloutOf(['d1'], [['d1']]), 'd2')).toBe(false);
    expect(isRolloutTarget(rolloutOf(['d2'], [['d2']]), 'd2')).toBe(true);
    expect(rolloutWaveOf(rolloutOf(['d1', 'd2'], [['d1'], ['d2']]), 'd2')).toBe(1);
    expect(rolloutWaveOf(rolloutOf(['d1', 'd2'], [['d2', 'd1']]), 'd2')).toBe(0);
  });
});
