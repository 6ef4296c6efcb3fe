import { probeRoutes, requestPath, sendError, serveHttp, type HttpService, type Logger, type ProbeSources } from '@wasmbed/service-kit';

export type SyncProbes = ProbeSources;

/** GET /healthz, /readyz, /metrics, /status; no credentials (nothing here is secret or writes). */
export function createSyncHttpServer(probes: SyncProbes, logger: Logger): HttpService {
  const answer = probeRoutes(probes);
  return serveHttp(async (req, res) => {
    const path = requestPath(req);
    // Every route is read-only: any other method is refused whatever the path, before the 404.
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed`, { allow: 'GET, HEAD' });
    if (!(await answer(req, res, path))) sendError(res, 404, 'not_found', `no route for ${path}`);
  }, logger);
}
