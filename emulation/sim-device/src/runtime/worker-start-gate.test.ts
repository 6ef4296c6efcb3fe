import { WorkerStartGate } from './worker-start-gate';

const turn = () => new Promise((r) => setImmediate(r));

describe('WorkerStartGate', () => {
  it('grants up to its limit at once and the rest in order as turns are released', async () => {
    const gate = new WorkerStartGate(2);
    const order: number[] = [];
    const releases = new Map<number, () => void>();
    for (const i of [1, 2, 3, 4]) void gate.acquire().then((release) => (order.push(i), releases.set(i, release)));
    await turn();
    expect(order).toEqual([1, 2]);
    expect(gate.starting).toBe(2);
    expect(gate.queued).toBe(2);
    releases.get(2)!();
    releases.get(2)!(); // a second release of the same turn frees nothing more
    await turn();
    expect(order).toEqual([1, 2, 3]);
    expect(gate.starting).toBe(2);
    releases.get(1)!();
    await turn();
    expect(order).toEqual([1, 2, 3, 4]);
    releases.get(3)!();
    releases.get(4)!();
    expect(gate.starting).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new WorkerStartGate(0)).toThrow(RangeError);
  });
});
