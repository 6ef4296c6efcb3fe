import { compareStrings } from './canonical';
import { InvalidCommand } from './errors';
import { requireRecord } from './validation';

/** Kubernetes-style label keys (optionally prefixed `example.com/`) and values. */
const LABEL_KEY = /^([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

export type Labels = Readonly<Record<string, string>>;

/** Validated labels with keys in sorted order, so equal label sets serialize equally. */
export function requireLabels(field: string, value: unknown): Record<string, string> {
  const entries = Object.entries(requireRecord(field, value)).sort(([a], [b]) => compareStrings(a, b));
  for (const [key, v] of entries) {
    if (!LABEL_KEY.test(key)) throw new InvalidCommand(`${field}.${key}`, 'is not a valid label key');
    if (typeof v !== 'string' || !LABEL_VALUE.test(v)) {
      throw new InvalidCommand(`${field}.${key}`, 'must be a label value: at most 63 letters, digits, ".", "_" or "-"');
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Label equality selector: every key of the selector must be present with the same value. */
export function matchesSelector(labels: Labels, selector: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
