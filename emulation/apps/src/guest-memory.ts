import { HostTrap } from './errors';

/**
 * The instance's exported memory, filled in by the host once instantiation
 * returns (imports are created before the instance exists).
 */
export interface MemoryRef {
  /** Structural, so that non-DOM consumers need no WebAssembly typings: a WebAssembly.Memory fits. */
  current: { readonly buffer: ArrayBuffer } | null;
}

/**
 * A view of [ptr, ptr + len) in guest memory. Pointers and lengths are
 * unsigned 32-bit; a range past the end traps. The view is fresh on every call
 * because memory.grow detaches the previous ArrayBuffer.
 */
export function guestBytes(memory: MemoryRef, hostFunction: string, ptr: number, len: number): Uint8Array {
  if (memory.current === null) throw new HostTrap(hostFunction, 'memory is not available yet');
  const start = ptr >>> 0;
  const length = len >>> 0;
  const buffer = memory.current.buffer;
  if (start + length > buffer.byteLength) {
    throw new HostTrap(hostFunction, `range [${start}, ${start + length}) is outside memory of ${buffer.byteLength} bytes`);
  }
  return new Uint8Array(buffer, start, length);
}
