import { resolve } from 'node:path';

/** libs/dashboard/assets: one level up from src (jest) and from dist (built) alike. */
export const DASHBOARD_ASSETS_DIR = resolve(__dirname, '..', 'assets');
