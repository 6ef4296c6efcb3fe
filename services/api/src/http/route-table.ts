import type { Role } from '@wasmbed/grpc-kit';

export type HttpMethod = 'GET' | 'POST';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI path template: `{name}` matches one path segment. */
  readonly path: string;
  /** Least role allowed, or 'none' for probes and the API description. */
  readonly auth: Role | 'none';
  readonly handler: string;
}

/**
 * Every route of the HTTP face. The server dispatches from this table and
 * openapi.yaml must describe exactly these routes (a unit test checks both ways).
 */
export const HTTP_ROUTES = [
  { method: 'GET', path: '/healthz', auth: 'none', handler: 'health' },
  { method: 'GET', path: '/readyz', auth: 'none', handler: 'readiness' },
  { method: 'GET', path: '/metrics', auth: 'none', handler: 'metrics' },
  { method: 'GET', path: '/api/v1/openapi.yaml', auth: 'none', handler: 'openapi' },
  { method: 'GET', path: '/', auth: 'none', handler: 'dashboardRedirect' },
  { method: 'GET', path: '/dashboard/{asset}', auth: 'none', handler: 'dashboardAsset' },
  { method: 'GET', path: '/api/v1/devices', auth: 'viewer', handler: 'listDevices' },
  { method: 'GET', path: '/api/v1/devices/{name}', auth: 'viewer', handler: 'getDevice' },
  { method: 'GET', path: '/api/v1/devices/{name}/logs', auth: 'viewer', handler: 'deviceLogs' },
  { method: 'POST', path: '/api/v1/devices/{name}/approve', auth: 'operator', handler: 'approveDevice' },
  { method: 'POST', path: '/api/v1/devices/{name}/reject', auth: 'operator', handler: 'rejectDevice' },
  { method: 'POST', path: '/api/v1/devices/{name}/revoke', auth: 'operator', handler: 'revokeDevice' },
  { method: 'GET', path: '/api/v1/gateways', auth: 'viewer', handler: 'listGateways' },
  { method: 'GET', path: '/api/v1/gateways/{name}', auth: 'viewer', handler: 'getGateway' },
  { method: 'GET', path: '/api/v1/applications', auth: 'viewer', handler: 'listApplications' },
  { method: 'GET', path: '/api/v1/applications/{name}', auth: 'viewer', handler: 'getApplication' },
  { method: 'POST', path: '/api/v1/applications/{name}/deploy', auth: 'operator', handler: 'deployApplication' },
  { method: 'POST', path: '/api/v1/applications/{name}/stop', auth: 'operator', handler: 'stopApplication' },
  { method: 'POST', path: '/api/v1/applications/{name}/pause', auth: 'operator', handler: 'pauseRollout' },
  { method: 'POST', path: '/api/v1/applications/{name}/resume', auth: 'operator', handler: 'resumeRollout' },
  { method: 'POST', path: '/api/v1/applications/{name}/rollback', auth: 'operator', handler: 'rollbackRollout' },
  { method: 'GET', path: '/api/v1/events', auth: 'viewer', handler: 'events' },
  { method: 'GET', path: '/api/v1/pairing', auth: 'viewer', handler: 'pairingStatus' },
  { method: 'POST', path: '/api/v1/pairing', auth: 'operator', handler: 'setPairingMode' },
  { method: 'POST', path: '/api/v1/admin/rebuild-read-models', auth: 'admin', handler: 'rebuildReadModels' },
] as const satisfies readonly RouteSpec[];

export type HttpRoute = (typeof HTTP_ROUTES)[number];
export type RouteHandlerName = HttpRoute['handler'];
