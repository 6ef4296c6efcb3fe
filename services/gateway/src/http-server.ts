import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@wasmbed/errors';
import type { Authenticator, Principal, Role } from '@wasmbed/grpc-kit';
import { authenticateHttp, sendError, sendJson, serveHttp } from '@wasmbed/service-kit';
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

/** Probes and metrics without credentials; /admin/* with a bearer token of the route's role. */
export function createGatewayHttpServer(options: GatewayHttpOptions): GatewayHttpServer {
  const { logger } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') {
      const { ready, checks } = options.readiness();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
    }
    if (req.method === 'GET' && path === '/metrics') {
      const text = await options.metrics.metrics();
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(text);
      return;
    }
    const routes = options.admin.filter((r) => r.path === path);
    if (routes.length === 0) return sendError(res, 404, 'not_found', `no route for ${path}`);
    const route = routes.find((r) => r.method === req.method);
    if (route === undefined) {
      res.setHeader('allow', routes.map((r) => r.method).join(', '));
      return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`);
    }
    const principal = await authenticateHttp(req, options.authenticator, route.role, `${route.method} ${route.path}`);
    const body = route.method === 'POST' ? await readJson(req) : undefined;
    sendJson(res, 200, await route.handle(principal, body));
  }

  return serveHttp(handle, logger);
}
