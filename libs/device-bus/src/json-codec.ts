import type { z } from 'zod';
import { InvalidBusMessage } from './errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(message)'}: ${i.message}`);
}

/** Validates a value against a bus schema; the error lists every problem with its path. */
export function parseBusValue<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidBusMessage(what, issuesOf(parsed.error));
  return parsed.data;
}

/** Bus messages are UTF-8 JSON, validated on both ends: a bad writer is caught where it writes. */
export function encodeBusMessage<S extends z.ZodType>(schema: S, value: z.input<S>, what: string): Uint8Array {
  return encoder.encode(JSON.stringify(parseBusValue(schema, value, what)));
}

export function decodeBusMessage<S extends z.ZodType>(schema: S, bytes: Uint8Array, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new InvalidBusMessage(what, ['(message): not UTF-8 JSON']);
  }
  return parseBusValue(schema, value, what);
}
