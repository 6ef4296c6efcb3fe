import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isWasmbedError } from '@wasmbed/errors';
import { HTTP_STATUS_BY_ERROR_CODE, sendError } from '@wasmbed/service-kit';
import type { Logger } from '../logger';

/** Domain errors keep their code and message; anything else is logged and answered with a reference only. */
export function sendFailure(res: ServerResponse, err: unknown, logger: Logger, path: string): void {
  if (isWasmbedError(err)) {
    if (err.code === 'internal') logger.error('HTTP request failed', { path, error: err });
    const headers: Record<string, string> = err.code === 'unauthenticated' ? { 'www-authenticate': 'Bearer' } : {};
    sendError(res, HTTP_STATUS_BY_ERROR_CODE[err.code], err.code, err.message, headers);
    return;
  }
  const ref = randomUUID();
  logger.error('HTTP request failed unexpectedly', { path, ref, error: err });
  sendError(res, 500, 'internal', `internal error (ref ${ref})`);
}
