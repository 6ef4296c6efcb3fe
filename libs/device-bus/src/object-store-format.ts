import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The layout of a NATS JetStream Object Store bucket (ADR-20), written by hand
 * because the @nats-io/obj client is not installed: stream `OBJ_<bucket>`, chunks
 * on `$O.<bucket>.C.<nuid>`, one JSON ObjectInfo per object on
 * `$O.<bucket>.M.<base64url(name)>` rolled up to its latest value. Keeping the
 * layout means `nats object ...` and the official client read the same bucket.
 */
export function objectStreamName(bucket: string): string {
  return `OBJ_${bucket}`;
}

export function chunkSubject(bucket: string, nuid: string): string {
  return `$O.${bucket}.C.${nuid}`;
}

export function metaSubject(bucket: string, name: string): string {
  return `$O.${bucket}.M.${base64UrlPadded(Buffer.from(name, 'utf8'))}`;
}

export function objectSubjects(bucket: string): string[] {
  return [`$O.${bucket}.C.>`, `$O.${bucket}.M.>`];
}

/** Go's base64.URLEncoding: URL alphabet with '=' padding. */
export function base64UrlPadded(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
}

/** The digest field of ObjectInfo: `SHA-256=<base64url with padding>`. */
export function objectDigest(bytes: Uint8Array): string {
  return `SHA-256=${base64UrlPadded(createHash('sha256').update(bytes).digest())}`;
}

export const objectInfoSchema = z.object({
  name: z.string(),
  bucket: z.string(),
  nuid: z.string().regex(/^[A-Za-z0-9]+$/),
  size: z.number().int().min(0),
  chunks: z.number().int().min(0),
  mtime: z.string(),
  digest: z.string(),
  deleted: z.boolean().optional(),
  options: z.object({ max_chunk_size: z.number().int().positive().optional() }).loose().optional(),
});
export type ObjectInfo = z.infer<typeof objectInfoSchema>;

/** Splits bytes into chunks of at most `chunkBytes` (views, no copies). */
export function splitChunks(bytes: Uint8Array, chunkBytes: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) chunks.push(bytes.subarray(offset, offset + chunkBytes));
  return chunks;
}
