/** One timed phase of the bench: an operator's change, then waits on read models and statuses. */
import type { Converger } from './converger';
import { writeRates } from './status-watch';

export type WaitKey = 'readModelApp' | 'readModelDevices' | 'statusApp' | 'statusDevices';

/** A convergence target, armed before the change so that it resolves with the deciding change's arrival time. */
export interface Wait {
  arm(): Promise<number>;
  progress(): string;
}

export function waitFor<T>(converger: Converger<T>, count: number, predicate: (item: T) => boolean): Wait {
  return { arm: () => converger.until(count, predicate), progress: () => `${converger.matching()}/${count}` };
}

export interface WriterTotals {
  readonly writes: number;
  readonly skippedUnchanged: number;
  readonly coalesced: number;
  readonly errors: number;
  readonly largestBytes: number;
  readonly bytesWritten: number;
  readonly pending: number;
}

export interface PhaseResult {
  readonly name: string;
  /** ms from the change to each target; absent = not measured in this phase. */
  readonly ms: Partial<Record<WaitKey, number>>;
  /** Status changes the watch saw between the change and the last convergence. */
  readonly writes: ReturnType<typeof writeRates>;
  /** k8s-sync's StatusWriter over the phase. */
  readonly sync: WriterTotals;
}

export interface PhaseContext {
  readonly timeoutMs: number;
  /** Arrival times of every status change seen so far. */
  statusChanges(): number[];
  writerTotals(): Promise<WriterTotals>;
  /** How long the writer may still be writing after the last convergence (its interval). */
  readonly settleMs: number;
  /** The status interval: the window of the busiest write rate. */
  readonly intervalMs: number;
  /** Appended to a timeout's message. */
  diagnostics(): string;
  progress(message: string): void;
}

export async function runPhase(ctx: PhaseContext, name: string, change: () => Promise<void>, waits: Partial<Record<WaitKey, Wait>>): Promise<PhaseResult> {
  const before = await ctx.writerTotals();
  const settled = new Set<WaitKey>();
  const armed = Object.entries(waits).map(([key, wait]) => ({ key: key as WaitKey, wait, done: wait.arm().finally(() => settled.add(key as WaitKey)) }));
  const t0 = performance.now();
  await change();
  const ms: Partial<Record<WaitKey, number>> = {};
  const ticker = setInterval(() => ctx.progress(`${name}: ${armed.map((a) => `${a.key} ${settled.has(a.key) ? 'done' : a.wait.progress()}`).join(', ')} after ${((performance.now() - t0) / 1000).toFixed(0)} s`), 10_000);
  try {
    for (const a of armed) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name}: ${a.key} not converged within ${ctx.timeoutMs / 1000} s (${a.wait.progress()})\n${ctx.diagnostics()}`)), ctx.timeoutMs - (performance.now() - t0));
      });
      try {
        ms[a.key] = (await Promise.race([a.done, timeout])) - t0;
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    clearInterval(ticker);
  }
  const end = t0 + Math.max(0, ...Object.values(ms));
  await new Promise((r) => setTimeout(r, ctx.settleMs));
  const after = await ctx.writerTotals();
  const sync: WriterTotals = {
    writes: after.writes - before.writes,
    skippedUnchanged: after.skippedUnchanged - before.skippedUnchanged,
    coalesced: after.coalesced - before.coalesced,
    errors: after.errors - before.errors,
    largestBytes: after.largestBytes,
    bytesWritten: after.bytesWritten - before.bytesWritten,
    pending: after.pending,
  };
  ctx.progress(`${name}: done in ${((end - t0) / 1000).toFixed(1)} s`);
  return { name, ms, writes: writeRates(ctx.statusChanges(), t0, end, ctx.intervalMs), sync };
}
