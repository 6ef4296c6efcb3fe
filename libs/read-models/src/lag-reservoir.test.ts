import { LagReservoir } from './lag-reservoir';

describe('LagReservoir', () => {
  it('reports nothing before the first sample', () => {
    expect(new LagReservoir().summary()).toEqual({ count: 0 });
  });

  it('gives nearest-rank percentiles and the max of what it saw', () => {
    const reservoir = new LagReservoir();
    for (let ms = 100; ms >= 1; ms -= 1) reservoir.record(ms / 1000);
    expect(reservoir.summary()).toEqual({ count: 100, p50: 0.05, p90: 0.09, p99: 0.099, max: 0.1 });
  });

  it('keeps at most its capacity but counts every sample and keeps the true max', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const reservoir = new LagReservoir(50, random);
    for (let i = 1; i <= 10_000; i += 1) reservoir.record(i);
    const summary = reservoir.summary();
    expect(summary.count).toBe(10_000);
    expect(summary.max).toBe(10_000);
    // A uniform sample of 1..10000 has its median far from both ends.
    expect(summary.p50).toBeGreaterThan(2_000);
    expect(summary.p50).toBeLessThan(8_000);
  });

  it('starts over after reset', () => {
    const reservoir = new LagReservoir();
    reservoir.record(5);
    reservoir.reset();
    reservoir.record(0.002);
    expect(reservoir.summary()).toEqual({ count: 1, p50: 0.002, p90: 0.002, p99: 0.002, max: 0.002 });
  });
});
