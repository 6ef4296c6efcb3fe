import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metadata } from '@grpc/grpc-js';
import { isWasmbedError, ValidationError, type ErrorCode } from '@wasmbed/errors';
import {
  AUTHORIZATION_METADATA_KEY,
  PermissionDeniedError,
  roleSatisfies,
  UnauthenticatedError,
  type Authenticator,
  type Principal,
  type Role,
} from '@wasmbed/grpc-kit';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

/** One authenticated admin route: the principal who called and the parsed JSON body. */
export interface AdminRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly role: Role;
  handle(principal: Principal, body: unknown): Promise<unknown>;
}

export interface GatewayHttpOptions {
  readonly metrics: Registry;
  readonly readiness: () => Readiness;
  readonly authenticator: Authenticator;
  readonly admin: readonly AdminRoute[];
  readonly logger: Logger;
}

export interface GatewayHttpServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid_argument':
    case 'failed_precondition':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'permission_denied':
      return 403;
    case 'not_found':
      return 404;
    case 'already_exists':
    case 'conflict':
      return 409;
    case 'resource_exhausted':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ValidationError(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ValidationError('request body is not valid JSON');
  }
}

/** Bearer tokens as in the api: the header goes to grpc-kit's authenticator as call metadata. */
async function authenticate(req: IncomingMessage, authenticator: Authenticator, role: Role, what: string): Promise<Principal> {
  const header = req.headers.authorization;
  const metadata = new Metadata();
  if (header !== undefined) metadata.set(AUTHORIZATION_METADATA_KEY, header);
  const principal = await authenticator.authenticate(metadata);
  if (principal === undefined) throw new UnauthenticatedError(header === undefined ? 'missing credentials: send Authorization: Bearer <token>' : 'invalid credentials');
  if (!roleSatisfies(principal.role, role)) throw new PermissionDeniedError(what, role, principal.role);
  return principal;
}

/** Probes and metrics without credentials; /admin/* with a bearer token of the route's role. */
export function createGatewayHttpServer(options: GatewayHttpOptions): GatewayHttpServer {
  const { logger } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    if (req.method === 'GET' && path === '/healthz') return reply(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const { ready, checks } = options.readiness();
      return reply(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
    }
    if (req.method === 'GET' && path === '/metrics') {
      const text = await options.metrics.metrics();
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(text);
      return;
    }
    const routes = options.admin.filter((r) => r.path === path);
    if (routes.length === 0) return reply(res, 404, { error: { code: 'not_found', message: `no route for ${path}` } });
    const route = routes.find((r) => r.method === req.method);
    if (route === undefined) {
      res.setHeader('allow', routes.map((r) => r.method).join(', '));
      return reply(res, 405, { error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${path}` } });
    }
    const principal = await authenticate(req, options.authenticator, route.role, `${route.method} ${route.path}`);
    const body = route.method === 'POST' ? await readJson(req) : undefined;
    reply(res, 200, await route.handle(principal, body));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (isWasmbedError(err)) {
        if (err.code === 'unauthenticated') res.setHeader('www-authenticate', 'Bearer');
        return reply(res, statusOf(err.code), { error: { code: err.code, message: err.message } });
      }
      const ref = randomUUID();
      logger.error('HTTP request failed', { path: req.url, ref, error: err });
      reply(res, 500, { error: { code: 'internal', message: `internal error (ref ${ref})` } });
    });
  });

  return {
    listen: (host, port) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
