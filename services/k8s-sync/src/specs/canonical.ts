/** Order-insensitive helpers shared by the spec comparisons (code-unit order, as the domain sorts). */

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A string map with its keys in sorted order, so equal maps serialize equally. */
export function sortedRecord(record: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(sortedUnique(Object.keys(record ?? {})).map((k) => [k, record![k]!]));
}

export function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  return JSON.stringify(sortedRecord(a)) === JSON.stringify(sortedRecord(b));
}

export const base64ToHex = (text: string): string => Buffer.from(text, 'base64').toString('hex');
export const bytesToBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
