/**
 * Deadlines of many sessions in one structure, swept by one timer: a hashed
 * timer wheel whose slots are absolute ticks of `resolutionMs`. Rescheduling
 * (every heartbeat) and removal are O(1); a sweep touches only the slots that
 * came due. A key is never reported before its deadline, and at most one
 * resolution after it (plus the sweep's own lateness).
 */
export class DeadlineWheel<K> {
  private readonly slots = new Map<number, Set<K>>();
  private readonly slotOf = new Map<K, number>();
  /** First slot not swept yet. */
  private cursor: number;

  constructor(
    readonly resolutionMs: number,
    nowMs: number,
  ) {
    if (!(resolutionMs > 0)) throw new RangeError('resolutionMs must be positive');
    this.cursor = Math.floor(nowMs / resolutionMs) + 1;
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Sets (or with null clears) the deadline of `key`, replacing any earlier one. */
  schedule(key: K, deadlineMs: number | null): void {
    if (deadlineMs === null) return this.remove(key);
    // Past deadlines land in the next slot to sweep, so they are never lost.
    const slot = Math.max(Math.ceil(deadlineMs / this.resolutionMs), this.cursor);
    // Heartbeats of a busy session move its deadline within one slot: nothing to do.
    if (this.slotOf.get(key) === slot) return;
    this.remove(key);
    let keys = this.slots.get(slot);
    if (keys === undefined) {
      keys = new Set();
      this.slots.set(slot, keys);
    }
    keys.add(key);
    this.slotOf.set(key, slot);
  }

  remove(key: K): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    this.slotOf.delete(key);
    const keys = this.slots.get(slot);
    keys?.delete(key);
    if (keys?.size === 0) this.slots.delete(slot);
  }

  /** Removes and returns every key whose deadline is at or before `nowMs`. */
  due(nowMs: number): K[] {
    const last = Math.floor(nowMs / this.resolutionMs);
    const out: K[] = [];
    // After a long pause, walking the occupied slots is cheaper than walking every tick.
    const slots = last - this.cursor + 1 > this.slots.size ? [...this.slots.keys()].filter((s) => s <= last).sort((a, b) => a - b) : range(this.cursor, last);
    for (const slot of slots) {
      const keys = this.slots.get(slot);
      if (keys === undefined) continue;
      this.slots.delete(slot);
      for (const key of keys) {
        this.slotOf.delete(key);
        out.push(key);
      }
    }
    this.cursor = Math.max(this.cursor, last + 1);
    return out;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
