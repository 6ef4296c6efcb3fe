import { CorruptReadModelError } from './errors';

/**
 * KV keys are NATS subjects: only [-/=._A-Za-z0-9] and '.' separates tokens.
 * Document ids are free-form, so every byte outside [A-Za-z0-9_-] is written as
 * '=' + two hex digits ('=' itself included), which keeps ids readable, keys
 * one token long and the mapping reversible.
 */
const PLAIN = /[A-Za-z0-9_-]/;

export function encodeIdToken(id: string): string {
  let out = '';
  for (const ch of id) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeIdToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; ) {
    if (token[i] === '=') {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new CorruptReadModelError(`malformed document key token ${JSON.stringify(token)}`, { token });
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      bytes.push(token.charCodeAt(i));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export const CHECKPOINT_PREFIX = '_checkpoint';

export function documentKey(collection: string, id: string): string {
  return `${collection}.${encodeIdToken(id)}`;
}

export function checkpointKey(context: string): string {
  return `${CHECKPOINT_PREFIX}.${context}`;
}

/** The document id of a key under `collection.`, or undefined for keys of other collections. */
export function idFromKey(collection: string, key: string): string | undefined {
  const prefix = `${collection}.`;
  return key.startsWith(prefix) ? decodeIdToken(key.slice(prefix.length)) : undefined;
}
