import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise((r) => setImmediate(r));

describe('keyed queue', () => {
  it('runs the steps of one key in order, one at a time, and other keys alongside', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    void queue.run('a', async () => {
      log.push('a1 start');
      await gate;
      log.push('a1 end');
    }, () => undefined);
    const a2 = queue.run('a', async () => void log.push('a2'), () => undefined);
    const b1 = queue.run('b', async () => void log.push('b1'), () => undefined);
    await b1;
    await tick();
    expect(log).toEqual(['a1 start', 'b1']);
    release();
    await a2;
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await tick();
    expect(queue.size).toBe(0);
  });

  it('reports a failing step and goes on with the next', async () => {
    const queue = new KeyedQueue();
    const errors: unknown[] = [];
    const ran: number[] = [];
    void queue.run('a', async () => {
      throw new Error('log down');
    }, (e) => errors.push(e));
    await queue.run('a', async () => void ran.push(2), (e) => errors.push(e));
    expect(errors).toHaveLength(1);
    expect(ran).toEqual([2]);
  });
});
