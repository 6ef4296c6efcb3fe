import { SlotWheel } from './slot-wheel';

describe('SlotWheel', () => {
  it('hands out every member exactly once per interval, spread over the slots', () => {
    const wheel = new SlotWheel<number>(1_000, 10, 0);
    for (let i = 0; i < 250; i++) wheel.add(i);
    expect(wheel.slotCount).toBe(100);
    const seen = new Map<number, number>();
    let busiestTick = 0;
    for (let t = 0; t < 1_000; t += 10) {
      const due = wheel.collect(t);
      busiestTick = Math.max(busiestTick, due.length);
      for (const m of due) seen.set(m, (seen.get(m) ?? 0) + 1);
    }
    expect(seen.size).toBe(250);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(busiestTick).toBe(3); // 250 members over 100 slots
  });

  it('returns nothing twice within the same slot', () => {
    const wheel = new SlotWheel<string>(100, 10, 0);
    wheel.add('a');
    expect(wheel.collect(0)).toEqual(['a']);
    expect(wheel.collect(5)).toEqual([]);
    expect(wheel.collect(100)).toEqual(['a']);
  });

  it('catches up after a stall without handing a member out more than once', () => {
    const wheel = new SlotWheel<number>(100, 10, 0);
    for (let i = 0; i < 10; i++) wheel.add(i);
    wheel.collect(0);
    const late = wheel.collect(350); // three and a half intervals late
    expect(late.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
