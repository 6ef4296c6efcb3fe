/**
 * State shared between an app's worker and its supervisor through one
 * SharedArrayBuffer, so neither side needs a message round trip:
 * - a stop flag the worker sleeps on (Atomics.wait), so stop interrupts sleep_ms;
 * - the time the worker has spent executing guest code, so the supervisor can
 *   enforce the CPU-time limit even while the guest never calls the host.
 *
 * Times are process.hrtime nanoseconds: one monotonic clock for all threads.
 * "Executing" is wall time between entering and leaving guest code, sleeps
 * excluded; on an oversubscribed machine it over-counts, never under-counts.
 */
const STOP = 0; // Int32 index
const EXECUTED_NS = 1; // BigInt64 index (byte offset 8)
const EXECUTING_SINCE_NS = 2; // BigInt64 index; 0 when not executing
const BYTES = 24;

export class ControlBlock {
  readonly buffer: SharedArrayBuffer;
  private readonly flags: Int32Array;
  private readonly times: BigInt64Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(BYTES)) {
    this.buffer = buffer;
    this.flags = new Int32Array(buffer, 0, 1);
    this.times = new BigInt64Array(buffer, 0, BYTES / 8);
  }

  requestStop(): void {
    Atomics.store(this.flags, STOP, 1);
    Atomics.notify(this.flags, STOP);
  }

  get stopRequested(): boolean {
    return Atomics.load(this.flags, STOP) !== 0;
  }

  /** Blocks the calling thread for ms, or less if a stop is requested; true when it slept the full time. */
  sleep(ms: number): boolean {
    if (ms <= 0) return !this.stopRequested;
    return Atomics.wait(this.flags, STOP, 0, ms) === 'timed-out';
  }

  enterGuest(now: bigint = process.hrtime.bigint()): void {
    Atomics.store(this.times, EXECUTING_SINCE_NS, now);
  }

  leaveGuest(now: bigint = process.hrtime.bigint()): void {
    const since = Atomics.exchange(this.times, EXECUTING_SINCE_NS, 0n);
    if (since !== 0n) Atomics.add(this.times, EXECUTED_NS, now - since);
  }

  /** Guest execution time so far, including a stretch still in progress. */
  executedMs(now: bigint = process.hrtime.bigint()): number {
    const since = Atomics.load(this.times, EXECUTING_SINCE_NS);
    const done = Atomics.load(this.times, EXECUTED_NS);
    return Number(done + (since !== 0n ? now - since : 0n)) / 1e6;
  }
}
