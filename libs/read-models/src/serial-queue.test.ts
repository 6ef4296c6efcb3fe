import { SerialQueue } from './serial-queue';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SerialQueue', () => {
  it('runs tasks one after another in call order', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name}:start`);
      await tick(ms);
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([queue.run(task('a', 20)), queue.run(task('b', 1)), queue.run(task('c', 5))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('keeps going after a failed task and reports idle when drained', async () => {
    const queue = new SerialQueue();
    let done = false;
    const failing = queue.run(async () => {
      throw new Error('nope');
    });
    void queue.run(async () => {
      await tick(10);
      done = true;
    });
    await expect(failing).rejects.toThrow('nope');
    await queue.idle();
    expect(done).toBe(true);
  });
});
