// @ts-check
/** Pure text formatting of API values for display. */

/**
 * An enum value of the proto JSON mapping without its prefix, lowercase:
 * `DEVICE_PHASE_CONNECTED` → `connected`. The mapping leaves default values
 * out, so an absent enum is the UNSPECIFIED one.
 * @param {string | undefined} value
 * @param {string} prefix e.g. `DEVICE_PHASE_`
 */
export function enumName(value, prefix) {
  if (value === undefined || value === '') return 'unspecified';
  return (value.startsWith(prefix) ? value.slice(prefix.length) : value).toLowerCase();
}

/** `partially_running` → `partially running`. @param {string} name */
export function humanize(name) {
  return name.replaceAll('_', ' ');
}

const UNITS = /** @type {const} */ ([
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1_000, 's'],
]);

/**
 * A rough duration: `45 s`, `12 min`, `3 h`, `2 d`.
 * @param {number} ms
 */
export function roughDuration(ms) {
  const abs = Math.abs(ms);
  for (const [unit, label] of UNITS) {
    if (abs >= unit) return `${Math.floor(abs / unit)} ${label}`;
  }
  return '0 s';
}

/**
 * `12 s ago`, `in 4 min`, `just now`; `—` when there is no time.
 * @param {string | undefined} iso RFC 3339
 * @param {number} nowMs
 */
export function relativeTime(iso, nowMs) {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const delta = nowMs - at;
  if (Math.abs(delta) < 5_000) return 'just now';
  return delta > 0 ? `${roughDuration(delta)} ago` : `in ${roughDuration(delta)}`;
}

/**
 * The first `length` hex digits of bytes sent as base64 (a module's SHA-256).
 * @param {string | undefined} base64
 * @param {number} [length]
 */
export function shortHex(base64, length = 8) {
  if (!base64) return '';
  let binary;
  try {
    binary = atob(base64);
  } catch {
    return '';
  }
  let hex = '';
  for (let i = 0; i < binary.length && hex.length < length; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, '0');
  return hex.slice(0, length);
}

/** 1234 → `1,234`. @param {number} n */
export function count(n) {
  return n.toLocaleString('en-US');
}

/** `1 device`, `3 devices`. @param {number} n @param {string} noun */
export function plural(n, noun) {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}
