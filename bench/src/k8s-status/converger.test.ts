import { Converger } from './converger';

describe('Converger', () => {
  it('resolves with the time of the change that made enough items match', async () => {
    const c = new Converger<number>();
    c.update('a', 1, 10);
    c.update('b', 0, 11);
    const done = c.until(2, (v) => v === 1);
    expect(c.matching()).toBe(1);
    c.update('a', 0, 12); // no longer matching
    c.update('b', 1, 13);
    expect(c.matching()).toBe(1);
    c.update('c', 1, 14);
    await expect(done).resolves.toBe(14);
    expect(c.matching()).toBe(0); // no target any more
  });

  it('resolves at once when the items already match, and forgets deleted items', async () => {
    const c = new Converger<string>();
    c.update('x', 'ok');
    await expect(c.until(1, (v) => v === 'ok')).resolves.toEqual(expect.any(Number));
    c.update('x', undefined);
    expect(c.size).toBe(0);
    const pending = c.until(1, (v) => v === 'ok');
    c.update('y', 'ok', 99);
    await expect(pending).resolves.toBe(99);
  });
});
