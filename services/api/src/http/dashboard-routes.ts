import { DASHBOARD_INDEX, dashboardResponse } from '@wasmbed/dashboard';
import { sendError } from '@wasmbed/service-kit';
import type { HttpHandler } from './http-context';

/**
 * The operator dashboard (@wasmbed/dashboard): static assets without
 * credentials (the page asks for a token and calls /api/v1 with it). Only the
 * package's fixed list of asset names is served.
 */
export function dashboardRoutes() {
  return {
    dashboardRedirect: async ({ res }) => {
      res.writeHead(302, { location: `/dashboard/${DASHBOARD_INDEX}`, 'cache-control': 'no-cache', 'content-length': '0' });
      res.end();
    },
    dashboardAsset: async ({ req, res, params }) => {
      const answer = dashboardResponse(params.asset, req.headers['if-none-match']);
      if (answer === undefined) return sendError(res, 404, 'not_found', `no dashboard asset '${params.asset}'`);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    },
  } satisfies Record<string, HttpHandler>;
}
