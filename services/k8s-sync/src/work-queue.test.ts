import { WorkQueue } from './work-queue';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WorkQueue', () => {
  it('handles a key added many times once, and again when added while it runs', async () => {
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const queue = new WorkQueue<string>({
      worker: async (key) => {
        seen.push(key);
        if (seen.length === 1) await new Promise<void>((r) => (release = r));
      },
    });
    queue.start();
    queue.add('a');
    queue.add('a');
    await tick();
    expect(seen).toEqual(['a']);
    queue.add('a');
    queue.add('a');
    release!();
    await tick(5);
    expect(seen).toEqual(['a', 'a']);
    await queue.stop();
  });

  it('never runs one key twice at once, and keeps at most `concurrency` running', async () => {
    let running = 0;
    let peak = 0;
    const perKey = new Map<string, number>();
    const queue = new WorkQueue<string>({
      concurrency: 2,
      worker: async (key) => {
        running += 1;
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
        peak = Math.max(peak, running);
        expect(perKey.get(key)).toBe(1);
        await tick(5);
        perKey.set(key, perKey.get(key)! - 1);
        running -= 1;
      },
    });
    queue.start();
    for (let i = 0; i < 10; i += 1) queue.add(`k${i % 4}`);
    await tick(60);
    expect(peak).toBe(2);
    expect(queue.depth).toBe(0);
    await queue.stop();
  });

  it('runs a delayed key after its delay, keeping the earlier of two times', async () => {
    const at: number[] = [];
    const start = Date.now();
    const queue = new WorkQueue<string>({ worker: async () => void at.push(Date.now() - start) });
    queue.start();
    queue.add('a', 200);
    queue.add('a', 40);
    await tick(120);
    expect(at).toHaveLength(1);
    expect(at[0]).toBeGreaterThanOrEqual(35);
    await tick(150);
    expect(at).toHaveLength(1);
    await queue.stop();
  });

  it('reports a failing worker and goes on', async () => {
    const errors: string[] = [];
    const done: string[] = [];
    const queue = new WorkQueue<string>({
      worker: async (key) => {
        if (key === 'bad') throw new Error('boom');
        done.push(key);
      },
      onError: (key, err) => errors.push(`${key}: ${(err as Error).message}`),
    });
    queue.start();
    queue.add('bad');
    queue.add('good');
    await tick(5);
    expect(errors).toEqual(['bad: boom']);
    expect(done).toEqual(['good']);
    await queue.stop();
  });

  it('runs due keys of a lower lane before any key of a higher lane, whatever the order they came in', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue<string>({
      worker: async (key) => {
        seen.push(key);
      },
      concurrency: 1,
      lane: (key) => (key.startsWith('Device/') ? 1 : 0),
    });
    for (let i = 0; i < 5; i++) queue.add(`Device/d${i}`);
    queue.add('Application/app');
    queue.add('Gateway/gw');
    expect(queue.depth).toBe(7);
    queue.start();
    for (let i = 0; i < 20 && seen.length < 7; i++) await tick();
    expect(seen.slice(0, 2)).toEqual(['Application/app', 'Gateway/gw']);
    expect(seen.slice(2)).toEqual(['Device/d0', 'Device/d1', 'Device/d2', 'Device/d3', 'Device/d4']);
    await queue.stop();
  });
  it('with workers free, a key added while it runs waits for its run to end, then runs once more, in order', async () => {
    const events: string[] = [];
    const releases: (() => void)[] = [];
    const queue = new WorkQueue<string>({
      concurrency: 8,
      worker: async (key) => {
        events.push(`start ${key}`);
        await new Promise<void>((r) => releases.push(r));
        events.push(`end ${key}`);
      },
    });
    queue.start();
    queue.add('a');
    await tick();
    // Seven workers idle: none of them may take 'a' while its first run is under way.
    queue.add('a');
    queue.add('a');
    queue.add('b');
    await tick();
    expect(events).toEqual(['start a', 'start b']);
    releases.shift()!();
    await tick();
    expect(events).toEqual(['start a', 'start b', 'end a', 'start a']);
    releases.shift()!();
    releases.shift()!();
    await tick();
    expect(events).toEqual(['start a', 'start b', 'end a', 'start a', 'end b', 'end a']);
    expect(queue.depth).toBe(0);
    await queue.stop();
  });

  it('gives a freed worker to a lower lane first, even when many higher-lane keys were queued earlier', async () => {
    const started: string[] = [];
    const releases: (() => void)[] = [];
    const queue = new WorkQueue<string>({
      concurrency: 3,
      lane: (key) => (key.startsWith('Device/') ? 1 : 0),
      worker: async (key) => {
        started.push(key);
        await new Promise<void>((r) => releases.push(r));
      },
    });
    queue.start();
    for (let i = 0; i < 10; i++) queue.add(`Device/d${i}`);
    await tick();
    expect(started).toEqual(['Device/d0', 'Device/d1', 'Device/d2']);
    queue.add('Application/app');
    await tick();
    // Every worker busy: the application waits for the next free one, then goes before d3.
    expect(started).toHaveLength(3);
    releases.shift()!();
    await tick();
    expect(started.slice(3)).toEqual(['Application/app']);
    releases.shift()!();
    await tick();
    expect(started.slice(4)).toEqual(['Device/d3']);
    // Drain: every key handled once, at most three at a time.
    while (started.length < 11 || releases.length > 0) {
      releases.shift()?.();
      await tick();
    }
    expect(new Set(started).size).toBe(11);
    await queue.stop();
  });

  it('skips keys not yet due without holding back due keys behind them', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue<string>({ concurrency: 1, worker: async (key) => void seen.push(key) });
    queue.add('later', 10_000);
    queue.add('now');
    queue.start();
    await tick(5);
    expect(seen).toEqual(['now']);
    expect(queue.depth).toBe(1);
    await queue.stop();
  });
});
