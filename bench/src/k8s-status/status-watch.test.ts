import { writeRates } from './status-watch';

describe('writeRates', () => {
  const changes = [0, 100, 200, 999, 1_000, 1_500, 5_000, 9_000];

  it('finds the busiest second and the average over the window', () => {
    expect(writeRates(changes, 0, 4_000)).toEqual({ busiestPerSecond: 4, averagePerSecond: 1.5, count: 6 });
    expect(writeRates(changes, 4_000, 10_000)).toEqual({ busiestPerSecond: 1, averagePerSecond: 2 / 6, count: 2 });
    expect(writeRates([], 0, 1_000)).toEqual({ busiestPerSecond: 0, averagePerSecond: 0, count: 0 });
  });

  it('measures the busiest window of the status interval, per second', () => {
    // 6 changes within the first 2 s: 3 per second over a 2 s window.
    expect(writeRates(changes, 0, 10_000, 2_000).busiestPerSecond).toBe(3);
    // Windows shorter than a second count as a second.
    expect(writeRates(changes, 0, 10_000, 0).busiestPerSecond).toBe(4);
  });
});
