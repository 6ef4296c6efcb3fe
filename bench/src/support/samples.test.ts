import { SampleBuffer } from './samples';

describe('SampleBuffer', () => {
  it('keeps every value pushed, growing past its initial capacity', () => {
    const buffer = new SampleBuffer(2);
    for (let i = 0; i < 1000; i++) buffer.push(i / 2);
    expect(buffer.length).toBe(1000);
    const values = buffer.values();
    expect(values).toBeInstanceOf(Float64Array);
    expect(values[0]).toBe(0);
    expect(values[999]).toBe(499.5);
  });

  it('hands out a copy and starts over after clear', () => {
    const buffer = new SampleBuffer();
    buffer.push(1);
    const before = buffer.values();
    buffer.clear();
    buffer.push(7);
    expect(Array.from(before)).toEqual([1]);
    expect(Array.from(buffer.values())).toEqual([7]);
  });
});
