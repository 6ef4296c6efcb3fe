import { createHash } from 'node:crypto';
import { InvalidQuery } from '../errors';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** 0 means the default; larger requests are capped rather than refused (AIP-158). */
export function resolvePageSize(requested: number): number {
  if (!Number.isSafeInteger(requested) || requested < 0) throw new InvalidQuery('page_size', 'must be a non-negative integer');
  if (requested === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(requested, MAX_PAGE_SIZE);
}

interface TokenBody {
  readonly v: 1;
  /** Last name of the previous page. */
  readonly after: string;
  /** Fingerprint of the filters the token was issued for. */
  readonly q: string;
}

/** Filters are part of the token: a page token is only valid for the query that produced it. */
function fingerprint(filters: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/** An opaque token for the page after `afterName` of a query with these filters. */
export function encodePageToken(afterName: string, filters: Readonly<Record<string, unknown>>): string {
  const body: TokenBody = { v: 1, after: afterName, q: fingerprint(filters) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The name to continue after, or undefined for the first page. */
export function decodePageToken(token: string, filters: Readonly<Record<string, unknown>>): string | undefined {
  if (token === '') return undefined;
  let body: Partial<TokenBody>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    throw new InvalidQuery('page_token', 'is not a token this server issued');
  }
  if (body === null || typeof body !== 'object' || body.v !== 1 || typeof body.after !== 'string' || body.after === '') {
    throw new InvalidQuery('page_token', 'is not a token this server issued');
  }
  if (body.q !== fingerprint(filters)) {
    throw new InvalidQuery('page_token', 'was issued for different filters; repeat the first request with the new filters');
  }
  return body.after;
}
