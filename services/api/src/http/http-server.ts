import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Authenticator } from '@wasmbed/grpc-kit';
import { authenticateHttp, listenOn, sendError, sendJson } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';
import { InvalidQuery } from '../errors';
import type { Logger } from '../logger';
import type { ReadModels } from '../queries/read-models';
import { apiRoutes } from './api-routes';
import { streamChanges } from './event-stream';
import { sendFailure } from './http-errors';

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InvalidQuery('name', 'is not valid percent-encoding');
  }
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, unknown>>;
}

export interface HttpServerOptions {
  readonly readModels: ReadModels;
  readonly authenticator: Authenticator;
  readonly metrics: Registry;
  readonly readiness: () => Promise<Readiness>;
  readonly logger: Logger;
  /** SSE heartbeat period (default 15 s). */
  readonly heartbeatMs?: number;
}

export interface HttpServer {
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, ends event streams, waits up to `graceMs` for requests in flight. */
  close(graceMs?: number): Promise<void>;
}

const RESOURCE_PATH = /^\/api\/v1\/(devices|gateways|applications)(?:\/([^/]+))?$/;

/**
 * The read-only HTTP face: probes and metrics without credentials, the
 * /api/v1 read models and their change stream with a viewer token. Writes
 * are gRPC only.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger } = options;
  const routes = apiRoutes(options.readModels);
  const streams = new Set<AbortController>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    const path = url.pathname;
    if (req.method !== 'GET') {
      sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed: the HTTP API is read-only (use gRPC for commands)`, { allow: 'GET' });
      return;
    }
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const readiness = await options.readiness();
      return sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not_ready', checks: readiness.checks });
    }
    if (path === '/metrics') {
      const body = await options.metrics.metrics();
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(body);
      return;
    }
    if (path === '/api/v1/events') {
      await authenticateHttp(req, options.authenticator, 'viewer', 'GET /api/v1/events');
      const controller = new AbortController();
      streams.add(controller);
      res.once('close', () => controller.abort());
      try {
        await streamChanges(res, options.readModels, controller.signal, options.heartbeatMs);
      } finally {
        streams.delete(controller);
      }
      return;
    }
    const match = RESOURCE_PATH.exec(path);
    if (match) {
      const [, collection, name] = match;
      await authenticateHttp(req, options.authenticator, 'viewer', `GET /api/v1/${collection}`);
      const route = routes[collection];
      const body = name === undefined ? await route.list(url.searchParams) : await route.get(decodeName(name));
      return sendJson(res, 200, body);
    }
    sendError(res, 404, 'not_found', `no route for ${path}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        logger.error('HTTP response failed after it started', { path: req.url, error: err });
        res.destroy();
        return;
      }
      sendFailure(res, err, logger, req.url ?? '');
    });
  });

  return {
    listen: (host, port) => listenOn(server, host, port),
    close(graceMs = 5_000) {
      return new Promise<void>((resolve) => {
        for (const stream of streams) stream.abort();
        // Keep-alive connections turn idle only once their response ends (event
        // streams included): sweep them until the server has closed.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
