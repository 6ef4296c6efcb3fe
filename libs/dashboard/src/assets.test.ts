import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DASHBOARD_ASSET_NAMES,
  DASHBOARD_ASSETS,
  DASHBOARD_ASSETS_DIR,
  DASHBOARD_CONTENT_SECURITY_POLICY,
  DASHBOARD_INDEX,
  DashboardAssetMissing,
  dashboardAsset,
  dashboardResponse,
  loadDashboardAssets,
} from './index';

const text = (name: string) => dashboardAsset(name)!.body.toString('utf8');

describe('dashboard assets', () => {
  it('serves exactly the files of the assets directory, each read from disk', () => {
    expect([...DASHBOARD_ASSET_NAMES].sort()).toEqual(readdirSync(DASHBOARD_ASSETS_DIR).sort());
    for (const name of DASHBOARD_ASSET_NAMES) {
      expect(dashboardAsset(name)!.body.equals(readFileSync(resolve(DASHBOARD_ASSETS_DIR, name)))).toBe(true);
    }
    expect(DASHBOARD_ASSETS.get(DASHBOARD_INDEX)?.contentType).toBe('text/html; charset=utf-8');
  });

  it('gives each file the content type a browser needs (JavaScript modules as text/javascript)', () => {
    expect(dashboardAsset('app.js')?.contentType).toBe('text/javascript; charset=utf-8');
    expect(dashboardAsset('app.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(dashboardAsset('favicon.svg')?.contentType).toBe('image/svg+xml');
  });

  it.each(['../package.json', '..%2Fpackage.json', '/etc/passwd', 'assets/app.js', './app.js', 'APP.JS', 'app.js/', '', '.', '..', 'index.html\0'])(
    'knows no asset called %j',
    (name) => {
      expect(dashboardAsset(name)).toBeUndefined();
      expect(dashboardResponse(name, undefined)).toBeUndefined();
    },
  );

  it('does not take names from the prototype chain', () => {
    expect(dashboardAsset('constructor')).toBeUndefined();
    expect(dashboardAsset('__proto__')).toBeUndefined();
  });

  it('tags each file with a strong ETag that is a digest of its bytes', () => {
    const etags = DASHBOARD_ASSET_NAMES.map((n) => dashboardAsset(n)!.etag);
    expect(new Set(etags).size).toBe(etags.length);
    for (const etag of etags) expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(loadDashboardAssets().get('app.js')!.etag).toBe(dashboardAsset('app.js')!.etag);
  });

  it('fails loudly when a listed file is missing', () => {
    expect(() => loadDashboardAssets(resolve(DASHBOARD_ASSETS_DIR, '..', 'src'))).toThrow(DashboardAssetMissing);
  });
});

describe('dashboardResponse', () => {
  const app = dashboardAsset('app.js')!;

  it('answers 200 with the bytes, length, type, validator, revalidation and a strict CSP', () => {
    const res = dashboardResponse('app.js', undefined)!;
    expect(res.status).toBe(200);
    expect(res.body.equals(app.body)).toBe(true);
    expect(res.headers).toEqual({
      'content-type': 'text/javascript; charset=utf-8',
      'content-length': String(app.body.length),
      etag: app.etag,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY,
    });
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it.each([app.etag, `W/${app.etag}`, `"other", ${app.etag}`, '*'])('answers 304 without a body for If-None-Match %s', (header) => {
    const res = dashboardResponse('app.js', header)!;
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(app.etag);
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('answers 200 when If-None-Match names another version', () => {
    expect(dashboardResponse('app.js', '"stale"')!.status).toBe(200);
    expect(dashboardResponse('app.js', dashboardAsset('app.css')!.etag)!.status).toBe(200);
  });
});

describe('the page stays within its CSP', () => {
  it('has no inline script, inline style or inline event handler in index.html', () => {
    const html = text('index.html');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
  });

  it('loads every script as a module from the page itself, and only listed modules import each other', () => {
    const scripts = DASHBOARD_ASSET_NAMES.filter((n) => n.endsWith('.js'));
    for (const name of scripts) {
      const source = text(name);
      expect(source).not.toMatch(/\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|\beval\(|new Function|setAttribute\('style'/);
      for (const [, spec] of source.matchAll(/^import [^;]*? from '([^']+)';/gm)) {
        expect(scripts).toContain(spec.replace(/^\.\//, ''));
      }
    }
  });
});
