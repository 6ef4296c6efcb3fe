import { compareMarks, hasApplied, withMark } from './event-mark';

describe('event marks', () => {
  it('orders by commit position, then by index inside the commit', () => {
    expect(compareMarks({ position: 3, index: 0 }, { position: 4, index: 0 })).toBeLessThan(0);
    expect(compareMarks({ position: 4, index: 2 }, { position: 4, index: 1 })).toBeGreaterThan(0);
    expect(compareMarks({ position: 4, index: 1 }, { position: 4, index: 1 })).toBe(0);
    expect(compareMarks({ position: 5, index: 0 }, { position: 4, index: 9 })).toBeGreaterThan(0);
  });

  it('treats a document as holding an event when its mark for that context is at or past it', () => {
    const applied = { fleet: { position: 10, index: 1 } };
    expect(hasApplied(applied, 'fleet', { position: 10, index: 1 })).toBe(true);
    expect(hasApplied(applied, 'fleet', { position: 10, index: 0 })).toBe(true);
    expect(hasApplied(applied, 'fleet', { position: 9, index: 5 })).toBe(true);
    expect(hasApplied(applied, 'fleet', { position: 10, index: 2 })).toBe(false);
    expect(hasApplied(applied, 'fleet', { position: 11, index: 0 })).toBe(false);
  });

  it('never compares positions of different contexts', () => {
    const applied = { fleet: { position: 100, index: 0 } };
    expect(hasApplied(applied, 'apps', { position: 5, index: 0 })).toBe(false);
    expect(hasApplied(undefined, 'fleet', { position: 1, index: 0 })).toBe(false);
  });

  it('records a new mark for one context and keeps the others', () => {
    const before = { fleet: { position: 3, index: 0 }, apps: { position: 8, index: 2 } };
    const after = withMark(before, 'fleet', { position: 4, index: 1 });
    expect(after).toEqual({ fleet: { position: 4, index: 1 }, apps: { position: 8, index: 2 } });
    expect(before.fleet).toEqual({ position: 3, index: 0 });
    expect(withMark(undefined, 'apps', { position: 1, index: 0 })).toEqual({ apps: { position: 1, index: 0 } });
  });
});
