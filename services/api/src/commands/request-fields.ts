import { InvalidCommand } from '@wasmbed/domain';
import { WasmbedError } from '@wasmbed/errors';

/** A request field the domain refused, named as in the generated request type. */
export class InvalidRequestField extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly field: string,
    readonly reason: string,
    cause: InvalidCommand,
  ) {
    super(`invalid ${field}: ${reason}`, { field, reason }, { cause });
  }
}

const AGGREGATE_IDS = new Set(['deviceId', 'gatewayId', 'applicationId']);

/**
 * The request field behind a domain command field, spelled like the generated
 * request types (and like the paths of edge validation errors): `data.deviceId`
 * is `name`, `data.spec.module.sizeBytes` is `spec.module.sizeBytes`.
 * `renames` overrides the first segment for commands whose data names a field
 * differently (AssignGateway's gatewayId is the request's `gateway`).
 */
export function requestFieldOf(domainField: string, renames: Readonly<Record<string, string>> = {}): string {
  const [root, first, ...rest] = domainField.split('.');
  if (root !== 'data') return domainField;
  if (first === undefined) return '(request)';
  const head = renames[first] ?? (AGGREGATE_IDS.has(first) ? 'name' : first);
  return [head, ...rest].join('.');
}

/** Re-labels a domain validation error with request field names; other errors pass unchanged. */
export function toRequestError(err: unknown, renames?: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof InvalidCommand)) return err;
  return new InvalidRequestField(requestFieldOf(err.field, renames), err.reason, err);
}
