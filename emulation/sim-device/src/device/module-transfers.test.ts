import { TransferOutOfOrderError } from '../errors';
import { ModuleTransfers } from './module-transfers';

const sha = (n: number) => new Uint8Array(32).fill(n);

describe('ModuleTransfers', () => {
  it('resumes a transfer of the same hash and size at the offset it reached', () => {
    const transfers = new ModuleTransfers();
    const first = transfers.resume(sha(1), 10);
    first.append(0, Uint8Array.of(1, 2, 3, 4));
    const again = transfers.resume(sha(1), 10);
    expect(again).toBe(first);
    expect(again.received).toBe(4);
    again.append(4, Uint8Array.of(5, 6, 7, 8, 9, 10));
    expect(again.complete).toBe(true);
    expect([...again.bytes()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('starts over when the size differs, and forgets discarded transfers', () => {
    const transfers = new ModuleTransfers();
    const first = transfers.resume(sha(1), 10);
    first.append(0, Uint8Array.of(1));
    expect(transfers.resume(sha(1), 11).received).toBe(0);
    const other = transfers.resume(sha(2), 5);
    transfers.discard(other);
    expect(transfers.size).toBe(1);
  });

  it('accepts chunks only in order and within the module', () => {
    const partial = new ModuleTransfers().resume(sha(1), 4);
    expect(() => partial.append(1, Uint8Array.of(1))).toThrow(TransferOutOfOrderError);
    expect(() => partial.append(0, Uint8Array.of(1, 2, 3, 4, 5))).toThrow(TransferOutOfOrderError);
    partial.append(0, Uint8Array.of(9));
    expect(partial.received).toBe(1);
  });

  it('keeps at most maxEntries transfers, dropping the least recently used', () => {
    const transfers = new ModuleTransfers(2);
    transfers.resume(sha(1), 4).append(0, Uint8Array.of(1));
    transfers.resume(sha(2), 4).append(0, Uint8Array.of(2));
    transfers.resume(sha(1), 4); // touch 1: 2 is now the oldest
    transfers.resume(sha(3), 4);
    expect(transfers.size).toBe(2);
    expect(transfers.resume(sha(1), 4).received).toBe(1);
    expect(transfers.resume(sha(2), 4).received).toBe(0);
  });
});
