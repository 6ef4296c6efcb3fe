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
  const all = [columns, ...rows];
  const width = (i: number) => Math.max(...all.map((r) => r[i].length)) + (i === 0 ? 0 : 3);
  const [w0, w1, w2] = [width(0), width(1), width(2)];
  const line = ([label, a, b]: Row) => `${label.padEnd(w0)}${a.padStart(w1)}${b.padStart(w2)}`;
  return all.map(line).join('\n');
}

export interface ComparisonReport {
  /** Headings: '' then the baseline's and our column. */
  readonly columns: Row;
  readonly rows: readonly Row[];
  /** Failure reasons (a few distinct ones) by who reported them. */
  readonly failures: Readonly<Record<string, readonly string[]>>;
  /** How to read the figures. */
  readonly notes: readonly string[];
}

export function formatReport(report: ComparisonReport): string {
  const lines = ['', formatTable(report.columns, report.rows)];
  const failures = Object.entries(report.failures).flatMap(([who, reasons]) => reasons.map((r) => `  ${who}: ${r}`));
  if (failures.length > 0) lines.push('', 'failures (first few):', ...failures);
  lines.push('', ...report.notes);
  return lines.join('\n');
}

/** Runs a bench's main: a failure is printed with its stack and the exit code is 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}

/** A progress line while the bench runs (the figures come at the end). */
export function progress(message: string): void {
  process.stdout.write(`  … ${message}\n`);
}
