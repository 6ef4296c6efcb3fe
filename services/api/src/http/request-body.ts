import type { IncomingMessage } from 'node:http';
import { ValidationError } from '@wasmbed/errors';
import { validateRequest } from '@wasmbed/grpc-kit';
import type { z } from 'zod';

/** Command bodies are small; anything bigger is a mistake. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The request's JSON body checked against `schema`; an empty body reads as
 * `{}`. Types are strict (`"false"` is not a boolean), unlike the lenient
 * protobuf JSON readers.
 */
export async function readJsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ValidationError(`request body exceeds ${MAX_BODY_BYTES} bytes`, [`body: more than ${MAX_BODY_BYTES} bytes`]);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  let value: unknown = {};
  if (text !== '') {
    const type = req.headers['content-type'] ?? 'application/json';
    if (!/^application\/json\b/i.test(type)) throw new ValidationError(`request body must be application/json, not ${type}`, ['content-type']);
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ValidationError(`request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, ['body: not JSON']);
    }
  }
  return validateRequest(schema, value);
}
