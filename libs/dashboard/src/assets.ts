import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { contentTypeOf, DASHBOARD_ASSET_NAMES } from './asset-names';
import { DASHBOARD_ASSETS_DIR } from './assets-dir';
import { DashboardAssetMissing } from './errors';

export interface DashboardAsset {
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** Strong validator: a digest of the bytes, quoted. */
  readonly etag: string;
}

export function loadDashboardAssets(directory: string = DASHBOARD_ASSETS_DIR): ReadonlyMap<string, DashboardAsset> {
  const assets = new Map<string, DashboardAsset>();
  for (const name of DASHBOARD_ASSET_NAMES) {
    let body: Buffer;
    try {
      body = readFileSync(resolve(directory, name));
    } catch (err) {
      throw new DashboardAssetMissing(name, directory, { cause: err });
    }
    const contentType = contentTypeOf(name);
    if (contentType === undefined) throw new Error(`no content type for dashboard asset '${name}'`);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(name, { name, body, contentType, etag });
  }
  return assets;
}

/** Every asset, read once when the package is first imported (a few dozen KiB). */
export const DASHBOARD_ASSETS: ReadonlyMap<string, DashboardAsset> = loadDashboardAssets();

/** The asset called exactly `name`, or undefined for any other name. */
export function dashboardAsset(name: string): DashboardAsset | undefined {
  return DASHBOARD_ASSETS.get(name);
}
