import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isWasmbedError, type ErrorCode } from '@wasmbed/errors';
import type { Logger } from '../logger';

export const HTTP_STATUS_BY_ERROR_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_argument: 400,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
  failed_precondition: 400,
  unauthenticated: 401,
  permission_denied: 403,
  resource_exhausted: 429,
  unavailable: 503,
  internal: 500,
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode | 'method_not_allowed', message: string, headers?: Record<string, string>): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

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
