import fc from 'fast-check';
import { failureAllowance, planWaves, resolveCount } from './waves';

const devices = (n: number) => Array.from({ length: n }, (_, i) => `d${String(i).padStart(2, '0')}`);

describe('planWaves', () => {
  it.each([
    ['canary then batches', 5, { canary: 1, batchSize: 2 }, [['d00'], ['d01', 'd02'], ['d03', 'd04']]],
    ['a short last batch', 6, { canary: 1, batchSize: 2 }, [['d00'], ['d01', 'd02'], ['d03', 'd04'], ['d05']]],
    ['no canary', 4, { canary: 0, batchSize: 3 }, [['d00', 'd01', 'd02'], ['d03']]],
    ['a canary as large as the fleet', 2, { canary: 5, batchSize: 1 }, [['d00', 'd01']]],
    ['all at once', 3, { canary: 0, batchSize: { percent: 100 } }, [['d00', 'd01', 'd02']]],
    ['percent of all targets, rounded up', 10, { canary: 2, batchSize: { percent: 25 } }, [['d00', 'd01'], ['d02', 'd03', 'd04'], ['d05', 'd06', 'd07'], ['d08', 'd09']]],
    ['a tiny percent still moves one device', 3, { canary: 0, batchSize: { percent: 1 } }, [['d00'], ['d01'], ['d02']]],
    ['no targets', 0, { canary: 1, batchSize: 2 }, []],
  ])('%s', (_name, n, strategy, expected) => {
    expect(planWaves(devices(n), strategy)).toEqual(expected);
  });

  it('sorts and de-duplicates the targets first, so the plan does not depend on their order', () => {
    expect(planWaves(['c', 'a', 'b', 'a'], { canary: 1, batchSize: 5 })).toEqual([['a'], ['b', 'c']]);
  });

  it('puts every target in exactly one wave, in sorted order, with only the last batch short', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { maxLength: 60 }),
        fc.nat(10),
        fc.oneof(fc.integer({ min: 1, max: 20 }), fc.record({ percent: fc.integer({ min: 1, max: 100 }) })),
        (targets, canary, batchSize) => {
          const waves = planWaves(targets, { canary, batchSize });
          const sorted = [...targets].sort();
          expect(waves.flat()).toEqual(sorted);
          expect(waves.every((w) => w.length > 0)).toBe(true);
          const batches = canary > 0 && targets.length > 0 ? waves.slice(1) : waves;
          if (canary > 0 && targets.length > 0) expect(waves[0].length).toBe(Math.min(canary, targets.length));
          const size = Math.max(1, resolveCount(batchSize, targets.length, 'up'));
          batches.slice(0, -1).forEach((w) => expect(w.length).toBe(size));
        },
      ),
    );
  });
});

describe('resolveCount', () => {
  it.each([
    [3, 50, 'up', 3],
    [{ percent: 10 }, 30, 'up', 3],
    [{ percent: 10 }, 30, 'down', 3],
    [{ percent: 10 }, 31, 'up', 4],
    [{ percent: 10 }, 31, 'down', 3],
    [{ percent: 33.3 }, 30, 'up', 10],
    [{ percent: 100 }, 7, 'down', 7],
  ] as const)('%j of %d rounded %s is %d', (count, total, rounding, expected) => {
    expect(resolveCount(count, total, rounding)).toBe(expected);
  });
});

describe('failureAllowance', () => {
  it.each([
    [0, 5, 0],
    [2, 5, 2],
    [{ percent: 50 }, 4, 2],
    [{ percent: 50 }, 3, 1],
    [{ percent: 20 }, 4, 0],
    [{ percent: 0 }, 10, 0],
  ] as const)('%j of a wave of %d tolerates %d', (threshold, waveSize, expected) => {
    expect(failureAllowance(threshold, waveSize)).toBe(expected);
  });
});
