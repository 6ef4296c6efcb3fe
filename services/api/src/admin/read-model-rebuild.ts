import { WasmbedError } from '@wasmbed/errors';
import type { Logger } from '../logger';
import { COLLECTIONS } from '../projections/documents';
import type { Projections } from '../projections/projections';
import { allDocuments } from '../queries/collection-pages';
import type { ReadModelGate } from './read-model-gate';

export interface RebuildResult {
  readonly devices: number;
  readonly gateways: number;
  readonly applications: number;
  readonly eventsReplayed: number;
  readonly durationMs: number;
}

/** A projection failed while replaying: the read models are incomplete. */
export class ReadModelRebuildFailed extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(readonly contexts: Readonly<Record<string, string>>) {
    super(`rebuilding the read models failed (projection states: ${JSON.stringify(contexts)}); see the api log, then restart the api or rebuild again`, {
      contexts,
    });
  }
}

const LIVE_POLL_MS = 20;

/**
 * Drops this instance's read models and replays both logs from position 0.
 * The gate is closed meanwhile, so queries answer UNAVAILABLE instead of
 * showing a partial model; it reopens once every projection has caught up
 * with the heads it saw when the replay began (or has failed). A rebuild
 * asked for while one runs joins it.
 */
export class ReadModelRebuild {
  #running: Promise<RebuildResult> | undefined;

  constructor(
    private readonly projections: Projections,
    private readonly gate: ReadModelGate,
    private readonly logger: Logger,
  ) {}

  run(): Promise<RebuildResult> {
    this.#running ??= this.#rebuild().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #rebuild(): Promise<RebuildResult> {
    const started = performance.now();
    const appliedBefore = this.projections.eventsApplied();
    this.gate.close();
    this.logger.info('rebuilding the read models: replaying both logs from position 0');
    try {
      const { fleet, apps } = this.projections.runners;
      await Promise.all([fleet.rebuild(), apps.rebuild()]);
      await this.#caughtUp();
      const { stores } = this.projections;
      const result: RebuildResult = {
        devices: await count(stores.fleet, COLLECTIONS.devices),
        gateways: await count(stores.fleet, COLLECTIONS.gateways),
        applications: await count(stores.apps, COLLECTIONS.applications),
        eventsReplayed: this.projections.eventsApplied() - appliedBefore,
        durationMs: Math.round(performance.now() - started),
      };
      this.logger.info('read models rebuilt', { ...result });
      return result;
    } finally {
      this.gate.reopen();
    }
  }

  async #caughtUp(): Promise<void> {
    for (;;) {
      const status = await this.projections.live();
      if (status.live) return;
      if (Object.values(status.contexts).some((state) => state === 'failed' || state === 'stopped')) throw new ReadModelRebuildFailed(status.contexts);
      await new Promise((resolve) => setTimeout(resolve, LIVE_POLL_MS));
    }
  }
}

async function count(store: Parameters<typeof allDocuments>[0], collection: string): Promise<number> {
  let n = 0;
  for await (const _doc of allDocuments(store, collection)) n += 1;
  return n;
}
