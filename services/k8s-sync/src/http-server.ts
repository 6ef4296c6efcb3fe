import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson, serveHttp, type HttpService, type Logger } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';

export interface SyncProbes {
  /** Both sides watched and listed at least once. */
  readonly readiness: () => { readonly ready: boolean; readonly checks: Readonly<Record<string, string>> };
  /** The /status document. */
  readonly status: () => unknown;
  readonly metrics: Registry;
}

/** GET /healthz, /readyz, /metrics, /status; no credentials (nothing here is secret or writes). */
export function createSyncHttpServer(probes: SyncProbes, logger: Logger): HttpService {
  const answer = async (path: string, res: ServerResponse): Promise<boolean> => {
    switch (path) {
      case '/healthz':
        sendJson(res, 200, { status: 'ok' });
        return true;
      case '/readyz': {
        const { ready, checks } = probes.readiness();
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
        return true;
      }
      case '/metrics':
        res.writeHead(200, { 'content-type': probes.metrics.contentType });
        res.end(await probes.metrics.metrics());
        return true;
      case '/status':
        sendJson(res, 200, probes.status());
        return true;
      default:
        return false;
    }
  };
  return serveHttp(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://k8s-sync.invalid').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed`, { allow: 'GET, HEAD' });
    if (!(await answer(path, res))) sendError(res, 404, 'not_found', `no route for ${path}`);
  }, logger);
}
