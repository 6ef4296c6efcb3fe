import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson, serveHttp, type Logger } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

export interface ControllerHttpOptions {
  readonly metrics: Registry;
  readonly readiness: () => Readiness;
  /** The /status document. */
  readonly status: () => unknown;
  readonly logger: Logger;
}

export interface ControllerHttpServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

/** Read-only: probes, Prometheus metrics and the controller's status document; no credentials. */
export function createControllerHttpServer(options: ControllerHttpOptions): ControllerHttpServer {
  const routes = new Map<string, (res: ServerResponse) => Promise<void> | void>([
    ['/healthz', (res) => sendJson(res, 200, { status: 'ok' })],
    [
      '/readyz',
      (res) => {
        const { ready, checks } = options.readiness();
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
      },
    ],
    [
      '/metrics',
      async (res) => {
        const text = await options.metrics.metrics();
        res.writeHead(200, { 'content-type': options.metrics.contentType });
        res.end(text);
      },
    ],
    ['/status', (res) => sendJson(res, 200, options.status())],
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://device-controller.invalid').pathname;
    const route = routes.get(path);
    if (route === undefined) return sendError(res, 404, 'not_found', `no route for ${path}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { allow: 'GET, HEAD' });
    await route(res);
  }

  return serveHttp(handle, options.logger);
}
