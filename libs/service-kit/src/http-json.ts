import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '@wasmbed/errors';

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

/** The error body every Wasmbed HTTP face answers with: {error: {code, message}}. */
export function sendError(res: ServerResponse, status: number, code: ErrorCode | 'method_not_allowed', message: string, headers?: Record<string, string>): void {
  sendJson(res, status, { error: { code, message } }, headers);
}
