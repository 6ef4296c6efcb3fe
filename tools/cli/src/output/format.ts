/** Human formats shared by tables and detail views. */

/** "1h30m", "45s", "250ms": the largest units that divide the value exactly. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let seconds = ms / 1000;
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(seconds / size);
    if (n > 0) parts.push(`${n}${unit}`);
    seconds -= n * size;
  }
  return parts.join('');
}

/** Binary units with at most one decimal: 262144 → "256 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}

/** UTC, second precision: "2026-11-23 13:16:08Z"; "-" when unset. */
export function formatTime(date: Date | undefined): string {
  if (date === undefined) return '-';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** "env=prod,site=lab"; "-" when empty. Keys sorted so output is stable. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A value or "-" when empty, for table cells. */
export function orDash(value: string | number | undefined): string {
  return value === undefined || value === '' ? '-' : String(value);
}

/** The first 12 hex digits of a hash or key, enough to tell them apart on screen. */
export function shortHex(bytes: Uint8Array): string {
  return bytes.length === 0 ? '-' : `${Buffer.from(bytes).toString('hex').slice(0, 12)}…`;
}
