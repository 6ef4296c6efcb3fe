import { ValidationError } from '@wasmbed/errors';
import { z } from 'zod';
import { BACKEND_KINDS, type BackendKind } from '../boards/board-catalogue';
import type { CreateDeviceRequest } from '../devices/device-manager';

/** The commands of the manager, by verb: `wasmbed.emu.<verb>` on NATS, routes on HTTP. */
export const VERBS = ['create', 'start', 'stop', 'restart', 'delete', 'get', 'list'] as const;
export type Verb = (typeof VERBS)[number];

// Names and labels are checked in full by the device name rule and by the api's RegisterDevice;
// here only their shape and size, so a malformed request fails before anything is created.
const name = z.string().min(1).max(63);

export const createRequestSchema = z
  .object({
    name,
    board: z.string().min(1).max(64),
    backend: z.enum(BACKEND_KINDS as unknown as [BackendKind, ...BackendKind[]]).optional(),
    labels: z
      .record(z.string().min(1).max(317), z.string().max(63))
      .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels')
      .optional(),
    start: z.boolean().optional(),
  })
  .strict();

export const nameRequestSchema = z.object({ name }).strict();
export const listRequestSchema = z.object({}).strict();

export type CommandInput =
  | { readonly verb: 'create'; readonly request: CreateDeviceRequest }
  | { readonly verb: 'start' | 'stop' | 'restart' | 'delete' | 'get'; readonly name: string }
  | { readonly verb: 'list' };

function parse<S extends z.ZodType>(schema: S, body: unknown, verb: Verb): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new ValidationError(`invalid ${verb} request: ${issues.join('; ')}`, issues);
}

/** Validates a command's JSON body (undefined = an empty body, as `list` may be sent). */
export function parseCommand(verb: Verb, body: unknown): CommandInput {
  const value = body === undefined ? {} : body;
  switch (verb) {
    case 'create':
      return { verb, request: parse(createRequestSchema, value, verb) };
    case 'list':
      parse(listRequestSchema, value, verb);
      return { verb };
    default:
      return { verb, name: parse(nameRequestSchema, value, verb).name };
  }
}

/** JSON text → value; empty text is an empty body. */
export function parseJsonBody(text: string, verb: Verb): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(`invalid ${verb} request: the body is not JSON`, ['(body): not JSON']);
  }
}
