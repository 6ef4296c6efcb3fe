import fc from 'fast-check';
import { DueQueue } from './due-queue';

describe('DueQueue', () => {
  it('pops by time, ties in insertion order', () => {
    const q = new DueQueue<string>();
    q.push(5, 'a');
    q.push(1, 'b');
    q.push(5, 'c');
    q.push(3, 'd');
    expect(q.peek()?.item).toBe('b');
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()].map((x) => x?.item)).toEqual(['b', 'd', 'a', 'c', undefined]);
    expect(q.size).toBe(0);
  });

  it('pops any sequence of times sorted (stable)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), (times) => {
        const q = new DueQueue<number>();
        times.forEach((t, i) => q.push(t, i));
        const out: number[] = [];
        for (let x = q.pop(); x; x = q.pop()) out.push(x.item);
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i);
        expect(out).toEqual(expected);
      }),
    );
  });
});
