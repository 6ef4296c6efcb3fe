/**
 * The latest state of many named things, and the moment a given number of them first
 * satisfy a condition: "all 10,000 Device statuses show revision 2 Running" resolves with
 * the arrival time of the change that made it true.
 */
export class Converger<T> {
  private readonly items = new Map<string, T>();
  private target: { readonly count: number; readonly predicate: (item: T) => boolean; readonly matching: Set<string>; readonly resolve: (at: number) => void } | undefined;

  get size(): number {
    return this.items.size;
  }

  update(name: string, item: T | undefined, at: number = performance.now()): void {
    if (item === undefined) this.items.delete(name);
    else this.items.set(name, item);
    const t = this.target;
    if (!t) return;
    if (item !== undefined && t.predicate(item)) t.matching.add(name);
    else t.matching.delete(name);
    this.check(at);
  }

  /** Resolves (with performance.now() of the deciding change) once `count` items satisfy `predicate`. One target at a time. */
  until(count: number, predicate: (item: T) => boolean): Promise<number> {
    return new Promise((resolve) => {
      const matching = new Set<string>();
      for (const [name, item] of this.items) if (predicate(item)) matching.add(name);
      this.target = { count, predicate, matching, resolve };
      this.check(performance.now());
    });
  }

  /** How many items satisfy the current target (progress reports). */
  matching(): number {
    return this.target?.matching.size ?? 0;
  }

  private check(at: number): void {
    const t = this.target;
    if (t && t.matching.size >= t.count) {
      this.target = undefined;
      t.resolve(at);
    }
  }
}
