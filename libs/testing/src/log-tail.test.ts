import { LogTail } from './log-tail';

describe('LogTail', () => {
  it('keeps only the last lines, joining chunks split mid-line', () => {
    const tail = new LogTail(2);
    tail.push('one\ntw');
    tail.push('o\nthree\nfo');
    expect(tail.text()).toBe('two\nthree\nfo');
    expect(tail.includes('fo')).toBe(true);
    expect(tail.includes('one')).toBe(false);
  });
});
