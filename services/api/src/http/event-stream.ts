import type { ServerResponse } from 'node:http';
import { ApplicationChange, DeviceChange, GatewayChange } from '@wasmbed/proto';
import type { ReadModels } from '../queries/read-models';
import { CHANGE_KIND } from '../views/change-kind';
import { openEventStream } from './sse';

const EVERYTHING = { matches: () => true, key: {} };

/**
 * Server-sent events of every read-model change: the current devices,
 * gateways and applications first (kind ADDED), then live changes, until
 * `signal` aborts. `id:` is the change's position in its context log; devices
 * and gateways share the fleet log, applications have their own, so one id
 * cannot resume both and Last-Event-ID is not honoured: a reconnecting client
 * gets the current state again (as gRPC Watch* does).
 */
export async function streamChanges(res: ServerResponse, readModels: ReadModels, signal: AbortSignal, heartbeatMs?: number): Promise<void> {
  // Refused before the stream starts while the read models are rebuilt (a status code is still possible).
  readModels.gate.assertOpen();
  const stream = openEventStream(res, signal, 'wasmbed read-model changes', heartbeatMs);
  try {
    await Promise.all([
      readModels.devices.watch(EVERYTHING, stream.signal, (kind, device, position) =>
        stream.send('device', DeviceChange.toJSON({ kind: CHANGE_KIND[kind], device, position }), position),
      ),
      readModels.gateways.watch(EVERYTHING, stream.signal, (kind, gateway, position) =>
        stream.send('gateway', GatewayChange.toJSON({ kind: CHANGE_KIND[kind], gateway, position }), position),
      ),
      readModels.applications.watch(EVERYTHING, stream.signal, (kind, application, position) =>
        stream.send('application', ApplicationChange.toJSON({ kind: CHANGE_KIND[kind], application, position }), position),
      ),
    ]);
  } finally {
    // One failed watcher ends the whole stream; the client reconnects and starts over.
    stream.close();
  }
}
