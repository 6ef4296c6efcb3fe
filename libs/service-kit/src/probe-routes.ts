import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from './http-json';
import { serveHttp, type HttpService } from './http-service';
import type { Logger } from './json-logger';

export interface Readiness {
  readonly ready: boolean;
  /** One line per dependency, e.g. `{ nats: 'connected' }`. */
  readonly checks: Readonly<Record<string, string>>;
}

/**
 * What /metrics needs of a metrics registry. Structural, so service-kit does not depend on
 * prom-client: a prom-client `Registry` fits as it is.
 */
export interface MetricsText {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface ProbeSources {
  /** /readyz: 200 when ready, else 503; the checks are shown either way. */
  readonly readiness: () => Readiness;
  readonly metrics: MetricsText;
  /** The /status document (JSON). */
  readonly status: () => unknown;
}

/** The paths probeRoutes answers. */
export const PROBE_PATHS = ['/healthz', '/readyz', '/metrics', '/status'] as const;

/**
 * Answers one request if `path` is a probe path and says whether it did (false: the
 * caller's own routes, or its 404). GET and HEAD only; another method on a probe path is
 * a 405 with `allow`. No credentials: nothing here is secret or writes.
 */
export type ProbeHandler = (req: Pick<IncomingMessage, 'method'>, res: ServerResponse, path: string) => Promise<boolean>;

/**
 * The read-only routes every service process shows: /healthz, /readyz, /metrics, /status.
 * A service with more routes tries these first: `if (await probes(req, res, path)) return;`.
 */
export function probeRoutes(sources: ProbeSources): ProbeHandler {
  const routes = new Map<string, (res: ServerResponse) => Promise<void> | void>([
    ['/healthz', (res) => sendJson(res, 200, { status: 'ok' })],
    [
      '/readyz',
      (res) => {
        const { ready, checks } = sources.readiness();
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
      },
    ],
    [
      '/metrics',
      async (res) => {
        // Rendered before the head is written: a failing collector becomes a 500, not a torn 200.
        const text = await sources.metrics.metrics();
        res.writeHead(200, { 'content-type': sources.metrics.contentType });
        res.end(text);
      },
    ],
    ['/status', (res) => sendJson(res, 200, sources.status())],
  ]);
  return async (req, res, path) => {
    const route = routes.get(path);
    if (route === undefined) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') sendError(res, 405, 'method_not_allowed', `${method} is not allowed on ${path}`, { allow: 'GET, HEAD' });
    else await route(res);
    return true;
  };
}

/** The path of a request (no query), whatever its Host header says. */
export function requestPath(req: Pick<IncomingMessage, 'url'>): string {
  return new URL(req.url ?? '/', 'http://service.invalid').pathname;
}

/** An HTTP listener with the probe routes only; any other path is a 404. */
export function serveProbes(sources: ProbeSources, logger: Pick<Logger, 'error'>): HttpService {
  const probes = probeRoutes(sources);
  return serveHttp(async (req, res) => {
    const path = requestPath(req);
    if (!(await probes(req, res, path))) sendError(res, 404, 'not_found', `no route for ${path}`);
  }, logger);
}
