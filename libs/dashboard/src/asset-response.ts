import { dashboardAsset, type DashboardAsset } from './assets';

/**
 * What the page may load: its own scripts, styles, icon and same-origin API
 * calls, nothing inline, no frames. The assets are written to need no more.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface DashboardResponse {
  readonly status: 200 | 304;
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for 304. */
  readonly body: Buffer;
}

/**
 * The HTTP answer for asset `name` given the request's If-None-Match, or
 * undefined when no such asset exists (the caller answers 404). Names are not
 * content-hashed, so browsers must revalidate every time (`no-cache`); an
 * unchanged asset then costs a 304.
 */
export function dashboardResponse(name: string, ifNoneMatch: string | undefined): DashboardResponse | undefined {
  const asset = dashboardAsset(name);
  if (asset === undefined) return undefined;
  const headers = {
    etag: asset.etag,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY,
  };
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, asset)) return { status: 304, headers, body: Buffer.alloc(0) };
  return { status: 200, headers: { ...headers, 'content-type': asset.contentType, 'content-length': String(asset.body.length) }, body: asset.body };
}

/** RFC 9110 If-None-Match: `*` or a list of entity tags, compared weakly. */
function etagMatches(header: string, asset: DashboardAsset): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag);
}
