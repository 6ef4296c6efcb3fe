import { summarize } from '../stats';

export type LatencySummary = ReturnType<typeof summarize>;

export function latencies(samples: Float64Array): LatencySummary {
  return summarize(Array.from(samples));
}

/** A number for a table cell; '-' when there is nothing to show. */
export function num(value: number | undefined, digits = 0): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

export function p50p99(s: LatencySummary): string {
  return s.count === 0 ? '-' : `${s.p50.toFixed(2)} / ${s.p99.toFixed(2)}`;
}

/** `ours` as a percentage of `baseline`. */
export function percentOf(ours: number, baseline: number): string {
  return baseline > 0 && Number.isFinite(ours) ? `${((ours / baseline) * 100).toFixed(1)}%` : '-';
}

export type Row = readonly [label: string, baseline: string, ours: string];

/** Our figures beside the baseline's, one measure per line. */
export function formatTable(columns: Row, rows: readonly Row[]): string {
  const width = Math.max(...[columns, ...rows].map((r) => r[0].length)) + 2;
  const line = ([label, a, b]: Row) => `${label.padEnd(width)}${a.padStart(18)}${b.padStart(18)}`;
  return [line(columns), ...rows.map(line)].join('\n');
}

/** Failure reasons reported by the load generators, if any. */
export function formatReasons(what: string, reasons: readonly string[]): string[] {
  return reasons.map((r) => `  ${what}: ${r}`);
}

/** A progress line while the bench runs (the figures come at the end). */
export function progress(message: string): void {
  process.stdout.write(`  … ${message}\n`);
}
