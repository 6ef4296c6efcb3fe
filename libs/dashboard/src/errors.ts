import { WasmbedError } from '@wasmbed/errors';

/** An allow-listed asset is missing from the package (a broken install or build). */
export class DashboardAssetMissing extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(readonly asset: string, readonly directory: string, options?: { cause?: unknown }) {
    super(`dashboard asset '${asset}' is missing from ${directory}`, { asset, directory }, options);
  }
}
