/**
 * Every file the dashboard serves, by name. A fixed allow-list rather than a
 * directory listing: a request can only ever name one of these, so no path
 * (`..`, `%2f`, absolute) can reach another file.
 */
export const DASHBOARD_ASSET_NAMES = [
  'index.html',
  'app.css',
  'favicon.svg',
  'app.js',
  'api-client.js',
  'backoff.js',
  'dom.js',
  'event-stream.js',
  'format.js',
  'selectors.js',
  'sse-parser.js',
  'state.js',
  'view-applications.js',
  'view-devices.js',
  'view-gateways.js',
  'view-pending.js',
  'view-summary.js',
] as const;

export type DashboardAssetName = (typeof DASHBOARD_ASSET_NAMES)[number];

/** The page `GET /` sends browsers to. */
export const DASHBOARD_INDEX: DashboardAssetName = 'index.html';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export function contentTypeOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPES[name.slice(dot)];
}
