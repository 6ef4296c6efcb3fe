export { DASHBOARD_ASSET_NAMES, DASHBOARD_INDEX, contentTypeOf } from './asset-names';
export type { DashboardAssetName } from './asset-names';
export { DASHBOARD_ASSETS, dashboardAsset, loadDashboardAssets } from './assets';
export { DASHBOARD_ASSETS_DIR } from './assets-dir';
export type { DashboardAsset } from './assets';
export { DASHBOARD_CONTENT_SECURITY_POLICY, dashboardResponse } from './asset-response';
export type { DashboardResponse } from './asset-response';
export { DashboardAssetMissing } from './errors';
