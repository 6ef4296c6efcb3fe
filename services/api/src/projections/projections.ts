import type { DomainEvent, EventStore } from '@wasmbed/event-log';
import { defineProjection, MemoryDocumentStore, ProjectionRunner, type Projection } from '@wasmbed/read-models';
import type { Registry } from 'prom-client';
import { forReadModels, type Logger } from '../logger';
import { appsProjection } from './apps-projection';
import { fleetProjection } from './fleet-projection';
import { observeCommits } from './observe-commits';
import { ObservedDocumentStore } from './observed-document-store';

/**
 * The api's read models, one projection per bounded context. They live in
 * memory (MemoryDocumentStore) and are rebuilt by replaying the logs at every
 * start: small, always consistent with this instance's commands, and each
 * replica has its own.
 */
export interface Projections {
  readonly stores: { readonly fleet: ObservedDocumentStore; readonly apps: ObservedDocumentStore };
  readonly runners: { readonly fleet: ProjectionRunner; readonly apps: ProjectionRunner };
  waitForPosition(context: string, position: number, timeoutMs: number): Promise<void>;
  /** True once every context has replayed up to the head it saw at (re)start. */
  live(): Promise<{ live: boolean; contexts: Record<string, string> }>;
  /** Events applied to the read models since start, over both projections. */
  eventsApplied(): number;
  stop(): Promise<void>;
}

export async function startProjections(eventStore: EventStore, registry: Registry, logger: Logger): Promise<Projections> {
  const stores = { fleet: new ObservedDocumentStore(new MemoryDocumentStore()), apps: new ObservedDocumentStore(new MemoryDocumentStore()) };
  const common = { eventStore, registry, logger: forReadModels(logger) };
  let applied = 0;
  const counted = <E extends DomainEvent>(projection: Projection<E>) =>
    defineProjection<E>({
      ...projection,
      async handle(event, documents) {
        await projection.handle(event, documents);
        applied += 1;
      },
    });
  const runners = {
    fleet: new ProjectionRunner({ ...common, projection: counted(observeCommits(fleetProjection, stores.fleet)), store: stores.fleet }),
    apps: new ProjectionRunner({ ...common, projection: counted(observeCommits(appsProjection, stores.apps)), store: stores.apps }),
  };
  await runners.fleet.start();
  try {
    await runners.apps.start();
  } catch (err) {
    await runners.fleet.stop();
    throw err;
  }
  const runnerOf = (context: string) => (context === 'fleet' ? runners.fleet : runners.apps);
  return {
    stores,
    runners,
    waitForPosition: (context, position, timeoutMs) => runnerOf(context).waitForPosition(context, position, timeoutMs),
    async live() {
      const statuses = [...(await runners.fleet.status()), ...(await runners.apps.status())];
      return { live: statuses.every((s) => s.state === 'live'), contexts: Object.fromEntries(statuses.map((s) => [s.context, s.state])) };
    },
    eventsApplied: () => applied,
    async stop() {
      await Promise.all([runners.fleet.stop(), runners.apps.stop()]);
    },
  };
}
