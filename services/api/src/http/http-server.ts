import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { resolve } from 'node:path';
import type { Authenticator } from '@wasmbed/grpc-kit';
import { authenticateHttp, listenOn, sendError, sendJson } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import type { DeviceLogs } from '../logs/device-logs';
import type { ReadModels } from '../queries/read-models';
import { dashboardRoutes } from './dashboard-routes';
import { streamChanges } from './event-stream';
import type { HttpHandler } from './http-context';
import { sendFailure } from './http-errors';
import { deviceLogRoute } from './log-route';
import { pairingStatusRoute } from './pairing-status-route';
import { readRoutes } from './read-routes';
import { HTTP_ROUTES, type RouteHandlerName } from './route-table';
import { Router } from './router';
import { writeRoutes, type WriteRouteDeps } from './write-routes';

/** services/api/openapi.yaml: two levels up from src/http (tests) and dist/http (built) alike. */
export const OPENAPI_PATH = resolve(__dirname, '..', '..', 'openapi.yaml');

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, unknown>>;
}

export interface HttpServerOptions extends WriteRouteDeps {
  readonly readModels: ReadModels;
  readonly logs: DeviceLogs;
  readonly authenticator: Authenticator;
  readonly metrics: Registry;
  readonly readiness: () => Promise<Readiness>;
  readonly logger: Logger;
  /** SSE heartbeat period (default 15 s). */
  readonly heartbeatMs?: number;
  /** Serve HTTPS with this PEM certificate chain and key (the gRPC listener's); absent = plain HTTP. */
  readonly tls?: { readonly certChain: Buffer; readonly privateKey: Buffer };
}

export interface HttpServer {
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, ends event streams, waits up to `graceMs` for requests in flight. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The HTTP face, dispatched from HTTP_ROUTES: probes, metrics, the API
 * description and the dashboard's assets without credentials; the /api/v1 read models, device logs and
 * change stream for viewers; device and pairing commands for operators; the
 * read-model rebuild for admins.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger } = options;
  const openapi = readFileSync(OPENAPI_PATH);
  const handlers: Record<RouteHandlerName, HttpHandler> = {
    health: async ({ res }) => sendJson(res, 200, { status: 'ok' }),
    readiness: async ({ res }) => {
      const readiness = await options.readiness();
      sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not_ready', checks: readiness.checks });
    },
    metrics: async ({ res }) => {
      const body = await options.metrics.metrics();
      res.writeHead(200, { 'content-type': options.metrics.contentType });
      res.end(body);
    },
    openapi: async ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/yaml; charset=utf-8', 'content-length': openapi.length });
      res.end(openapi);
    },
    ...dashboardRoutes(),
    ...readRoutes(options.readModels),
    deviceLogs: deviceLogRoute(options.logs, options.heartbeatMs),
    events: ({ res, signal }) => streamChanges(res, options.readModels, signal, options.heartbeatMs),
    pairingStatus: pairingStatusRoute(options.readModels.gateways),
    ...writeRoutes(options),
  };
  const router = new Router(HTTP_ROUTES);
  // Every request in flight, so close() can end the long-lived ones (event streams).
  const inFlight = new Set<AbortController>();

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://api.invalid');
    const method = req.method ?? 'GET';
    const match = router.match(method, url.pathname);
    if (match.kind === 'not_found') return sendError(res, 404, 'not_found', `no route for ${url.pathname}`);
    if (match.kind === 'method_not_allowed') {
      const allow = match.allowed.join(', ');
      return sendError(res, 405, 'method_not_allowed', `${method} is not allowed on ${url.pathname} (allowed: ${allow})`, { allow });
    }
    const { route, params } = match;
    const principal = route.auth === 'none' ? undefined : await authenticateHttp(req, options.authenticator, route.auth, `${route.method} ${route.path}`);
    await handlers[route.handler]({ req, res, url, params, principal, signal });
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const controller = new AbortController();
    inFlight.add(controller);
    res.once('close', () => {
      controller.abort();
      inFlight.delete(controller);
    });
    handle(req, res, controller.signal).catch((err: unknown) => {
      if (res.headersSent) {
        logger.error('HTTP response failed after it started', { path: req.url, error: err });
        res.destroy();
        return;
      }
      sendFailure(res, err, logger, req.url ?? '');
    });
  };
  // TLS 1.2 or 1.3 (Node's defaults), 1.3 whenever the client offers it.
  const server: Server | HttpsServer = options.tls
    ? createHttpsServer({ cert: options.tls.certChain, key: options.tls.privateKey, minVersion: 'TLSv1.2' }, onRequest)
    : createServer(onRequest);

  return {
    listen: (host, port) => listenOn(server, host, port),
    close(graceMs = 5_000) {
      return new Promise<void>((done) => {
        for (const request of inFlight) request.abort();
        // Keep-alive connections turn idle only once their response ends (event
        // streams included): sweep them until the server has closed.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(force);
          done();
        });
        server.closeIdleConnections();
      });
    },
  };
}
