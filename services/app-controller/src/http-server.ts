import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson, serveHttp, type Logger } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';

export interface ProbeServerOptions {
  readonly metrics: Registry;
  /** Each check's state; ready when every one is `ok`. */
  readonly checks: () => Readonly<Record<string, string>>;
  readonly logger: Logger;
}

export interface ProbeServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

/** GET /healthz (the process is up), /readyz (503 until every check is ok) and /metrics; no credentials. */
export function createProbeServer(options: ProbeServerOptions): ProbeServer {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://app-controller.invalid').pathname;
    const known = path === '/healthz' || path === '/readyz' || path === '/metrics';
    if (!known) return sendError(res, 404, 'not_found', `no route for ${path}`);
    if (req.method !== 'GET') return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { allow: 'GET' });
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const checks = options.checks();
      const ready = Object.values(checks).every((v) => v === 'ok');
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
    }
    const text = await options.metrics.metrics();
    res.writeHead(200, { 'content-type': options.metrics.contentType });
    res.end(text);
  }

  return serveHttp(handle, options.logger);
}
