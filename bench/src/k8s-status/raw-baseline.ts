/**
 * The floor the apiserver itself sets, on the same server and client, with no control
 * plane: create N Device objects, then write a Device-sized status to each through the
 * status subresource (the same JSON Patch k8s-sync sends), 8 in flight (the figure of
 * earlier runs) and as many as k8s-sync's writer keeps in flight.
 * In a namespace of its own, which k8s-sync does not watch.
 */
import type { CustomObjectsApi } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeApiServer } from '@wasmbed/testing';
import { GROUP, VERSION, type BenchDevice } from './kube-objects';

export interface RawBaseline {
  readonly createsPerSecond: number;
  /** Status writes per second, by writes in flight. */
  readonly statusWritesPerSecond: ReadonlyMap<number, number>;
  readonly statusBytes: number;
}

async function inFlight<T>(items: readonly T[], concurrency: number, each: (item: T) => Promise<unknown>): Promise<number> {
  const queue = [...items];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await each(item);
    }),
  );
  return performance.now() - started;
}

/** A status of the size and shape k8s-sync writes for a connected device. */
function deviceLikeStatus(name: string): object {
  const at = new Date().toISOString().slice(0, 19) + 'Z';
  return {
    phase: 'Connected',
    gateway: 'raw-gw',
    sessionId: '00000000-0000-4000-8000-000000000000',
    lastSeen: at,
    enrolledAt: at,
    firmware: 'bench-fake 1.0',
    applications: [{ name: 'fleet-app', revision: 1, phase: 'Running', moduleSha256: 'ab'.repeat(32) }],
    applicationsTotal: 1,
    conditions: [
      { type: 'Synced', status: 'True', reason: 'Applied', message: `${name} is in the fleet`, lastTransitionTime: at, observedGeneration: 1 },
      { type: 'Ready', status: 'True', reason: 'Ready', message: 'connected, 1 applications settled', lastTransitionTime: at, observedGeneration: 1 },
      { type: 'Connected', status: 'True', reason: 'SessionOpen', message: 'session on gateway raw-gw', lastTransitionTime: at, observedGeneration: 1 },
    ],
  };
}

export async function measureRawBaseline(
  kube: KubeApiServer,
  customObjects: CustomObjectsApi,
  devices: readonly BenchDevice[],
  createConcurrency: number,
  statusInFlight: readonly number[],
): Promise<RawBaseline> {
  const namespace = 'raw-baseline';
  await kube.kubectl(['create', 'namespace', namespace]);
  const createMs = await inFlight(devices, createConcurrency, (d) =>
    customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: 'devices', body: d.object }),
  );
  const statusBytes = Buffer.byteLength(JSON.stringify(deviceLikeStatus(devices[0].name)));
  const statusWritesPerSecond = new Map<number, number>();
  for (const concurrency of new Set(statusInFlight)) {
    const writeMs = await inFlight(devices, concurrency, (d) =>
      customObjects.patchNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: 'devices', name: d.name, body: [{ op: 'add', path: '/status', value: deviceLikeStatus(d.name) }] }),
    );
    statusWritesPerSecond.set(concurrency, devices.length / (writeMs / 1000));
  }
  return { createsPerSecond: devices.length / (createMs / 1000), statusWritesPerSecond, statusBytes };
}
