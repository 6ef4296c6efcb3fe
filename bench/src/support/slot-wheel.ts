/**
 * Spreads periodic work over an interval with one timer: members are dealt into
 * `slots` round-robin, and each slot comes due once per interval. A load
 * generator with thousands of devices calls collect() from a single short
 * interval timer instead of keeping a timer per device.
 */
export class SlotWheel<T> {
  private readonly slots: T[][];
  private readonly slotMs: number;
  private dealt = 0;
  /** Absolute index of the last slot handed out by collect(). */
  private lastSlot: number;

  constructor(
    intervalMs: number,
    tickMs: number,
    private readonly startMs: number,
  ) {
    const count = Math.max(1, Math.round(intervalMs / tickMs));
    this.slots = Array.from({ length: count }, () => []);
    this.slotMs = intervalMs / count;
    this.lastSlot = -1;
  }

  get slotCount(): number {
    return this.slots.length;
  }

  add(member: T): void {
    (this.slots[this.dealt++ % this.slots.length] as T[]).push(member);
  }

  /** Members whose slot came due since the previous call; after a stall each member comes at most once. */
  collect(nowMs: number): T[] {
    const current = Math.floor((nowMs - this.startMs) / this.slotMs);
    if (current <= this.lastSlot) return [];
    const from = Math.max(this.lastSlot + 1, current - this.slots.length + 1);
    this.lastSlot = current;
    const due: T[] = [];
    for (let s = from; s <= current; s++) for (const member of this.slots[s % this.slots.length] as T[]) due.push(member);
    return due;
  }
}
