import { ModuleCache } from './module-cache';

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('module cache', () => {
  it('loads once for concurrent gets and serves later gets from memory', async () => {
    let loads = 0;
    const cache = new ModuleCache(1_000, async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return bytes(10);
    });
    const [a, b] = await Promise.all([cache.get('x'), cache.get('x')]);
    expect(a).toBe(b);
    await cache.get('x');
    expect(loads).toBe(1);
  });

  it('evicts the least recently used once over its byte budget', async () => {
    const loads: string[] = [];
    const cache = new ModuleCache(25, async (sha) => {
      loads.push(sha);
      return bytes(10);
    });
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the most recent
    await cache.get('c'); // 30 bytes > 25: b goes
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('c')).toBe(true);
    expect(cache.totalBytes).toBe(20);
    await cache.get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('serves but does not keep a module larger than the whole budget', async () => {
    const cache = new ModuleCache(5, async () => bytes(10));
    expect((await cache.get('big')).length).toBe(10);
    expect(cache.size).toBe(0);
  });

  it('does not cache failures', async () => {
    let attempt = 0;
    const cache = new ModuleCache(100, async () => {
      attempt++;
      if (attempt === 1) throw new Error('store down');
      return bytes(3);
    });
    await expect(cache.get('x')).rejects.toThrow('store down');
    expect((await cache.get('x')).length).toBe(3);
  });
});
