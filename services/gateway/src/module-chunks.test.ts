import { MAX_CHUNK_DATA_BYTES, MODULE_CHUNK_OVERHEAD_BYTES } from '@wasmbed/protocol';
import { chunkRange } from './module-chunks';

describe('module chunk maths', () => {
  it('serves what the device asked for when it fits', () => {
    expect(chunkRange({ offset: 0, maxBytes: 1_000 }, 10_000, 65_536)).toEqual({ start: 0, end: 1_000 });
  });

  it('never exceeds the device frame minus the chunk overhead', () => {
    expect(chunkRange({ offset: 0, maxBytes: 16_384 }, 100_000, 4_096)).toEqual({ start: 0, end: 4_096 - MODULE_CHUNK_OVERHEAD_BYTES });
  });

  it('never exceeds the protocol maximum, whatever the frame', () => {
    expect(chunkRange({ offset: 0, maxBytes: 16_384 }, 100_000, 1_000_000).end).toBe(MAX_CHUNK_DATA_BYTES);
  });

  it('stops at the end of the module and resumes from any offset', () => {
    expect(chunkRange({ offset: 7_920, maxBytes: 3_960 }, 10_000, 4_096)).toEqual({ start: 7_920, end: 10_000 });
    expect(chunkRange({ offset: 9_999, maxBytes: 3_960 }, 10_000, 4_096)).toEqual({ start: 9_999, end: 10_000 });
  });

  it('covers a module exactly with consecutive requests', () => {
    const total = 50_003;
    let offset = 0;
    let chunks = 0;
    while (offset < total) {
      const { start, end } = chunkRange({ offset, maxBytes: 3_960 }, total, 4_096);
      expect(start).toBe(offset);
      expect(end - start).toBeGreaterThan(0);
      offset = end;
      chunks++;
    }
    expect(offset).toBe(total);
    expect(chunks).toBe(Math.ceil(total / 3_960));
  });

  it('refuses an offset at or past the end', () => {
    expect(() => chunkRange({ offset: 10, maxBytes: 5 }, 10, 4_096)).toThrow(RangeError);
  });
});
