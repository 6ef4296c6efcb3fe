import { splitEvenly } from './partition';

describe('splitEvenly', () => {
  it('covers the range in contiguous shares differing by at most one', () => {
    expect(splitEvenly(10, 3)).toEqual([
      { first: 0, count: 4 },
      { first: 4, count: 3 },
      { first: 7, count: 3 },
    ]);
    expect(splitEvenly(9, 3).map((s) => s.count)).toEqual([3, 3, 3]);
  });

  it('leaves out empty shares when there are fewer items than parts', () => {
    expect(splitEvenly(2, 4)).toEqual([
      { first: 0, count: 1 },
      { first: 1, count: 1 },
    ]);
    expect(splitEvenly(0, 2)).toEqual([]);
  });
});
