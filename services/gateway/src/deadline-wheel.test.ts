import { DeadlineWheel } from './deadline-wheel';

describe('deadline wheel', () => {
  it('reports keys once their deadline passed, never before', () => {
    const wheel = new DeadlineWheel<string>(100, 0);
    wheel.schedule('a', 250);
    wheel.schedule('b', 300);
    wheel.schedule('c', 1_000);
    expect(wheel.due(200)).toEqual([]);
    expect(wheel.due(299)).toEqual([]);
    expect(wheel.due(300).sort()).toEqual(['a', 'b']);
    expect(wheel.due(999)).toEqual([]);
    expect(wheel.due(1_000)).toEqual(['c']);
    expect(wheel.size).toBe(0);
  });

  it('moves a rescheduled key and forgets a removed one', () => {
    const wheel = new DeadlineWheel<string>(100, 0);
    wheel.schedule('hb', 300);
    wheel.schedule('hb', 900); // a heartbeat came in
    wheel.schedule('gone', 300);
    wheel.remove('gone');
    wheel.schedule('none', 300);
    wheel.schedule('none', null);
    expect(wheel.due(500)).toEqual([]);
    expect(wheel.due(900)).toEqual(['hb']);
  });

  it('keeps a key rescheduled within its slot once, due at the latest deadline', () => {
    const wheel = new DeadlineWheel<string>(100, 0);
    wheel.schedule('hb', 310);
    wheel.schedule('hb', 340);
    wheel.schedule('hb', 400);
    expect(wheel.size).toBe(1);
    expect(wheel.due(399)).toEqual([]);
    expect(wheel.due(400)).toEqual(['hb']);
    expect(wheel.due(1_000)).toEqual([]);
  });

  it('never loses a deadline already in the past', () => {
    const wheel = new DeadlineWheel<string>(100, 1_000);
    wheel.due(1_000);
    wheel.schedule('late', 10);
    expect(wheel.due(1_100)).toEqual(['late']);
  });

  it('catches up after a long pause without walking every tick', () => {
    const wheel = new DeadlineWheel<number>(1, 0);
    for (let i = 1; i <= 5; i++) wheel.schedule(i, i * 1_000_000);
    expect(wheel.due(10_000_000_000)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports each key exactly once, at the first sweep of its slot, for random schedules', () => {
    const res = 7;
    const wheel = new DeadlineWheel<number>(res, 0);
    // key -> [deadline, first slot whose sweep must report it]
    const model = new Map<number, [number, number]>();
    let now = 0;
    let lastSweep = 0;
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let step = 0; step < 600; step++) {
      const key = Math.floor(random() * 50);
      if (random() < 0.2) {
        wheel.remove(key);
        model.delete(key);
      } else {
        const deadline = now + Math.floor(random() * 200) - 20;
        wheel.schedule(key, deadline);
        // A deadline already swept past is reported by the next sweep.
        model.set(key, [deadline, Math.max(Math.ceil(deadline / res), Math.floor(lastSweep / res) + 1)]);
      }
      now += Math.floor(random() * 15);
      const due = wheel.due(now);
      lastSweep = now;
      expect(new Set(due).size).toBe(due.length);
      for (const key of due) {
        expect(model.get(key)![0]).toBeLessThanOrEqual(now);
        model.delete(key);
      }
      for (const [, [, slot]] of model) expect(slot).toBeGreaterThan(Math.floor(now / res));
    }
  });
});
