import type { ServerResponse } from 'node:http';
import { ApplicationChange, DeviceChange, GatewayChange } from '@wasmbed/proto';
import type { ReadModels } from '../queries/read-models';
import { CHANGE_KIND } from '../views/change-kind';

export const HEARTBEAT_MS = 15_000;

const EVERYTHING = { matches: () => true, key: {} };

/**
 * Server-sent events of every read-model change: the current devices,
 * gateways and applications first (kind ADDED), then live changes, until
 * `signal` aborts. `id:` is the change's position in its context log; devices
 * and gateways share the fleet log, applications have their own, so one id
 * cannot resume both and Last-Event-ID is not honoured: a reconnecting client
 * gets the current state again (as gRPC Watch* does).
 */
export async function streamChanges(res: ServerResponse, readModels: ReadModels, signal: AbortSignal, heartbeatMs = HEARTBEAT_MS): Promise<void> {
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // Comments keep proxies from closing an idle stream.
  res.write(': wasmbed read-model changes\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  const send = (event: string, position: number, data: unknown) => write(res, `event: ${event}\nid: ${position}\ndata: ${JSON.stringify(data)}\n\n`, local.signal);
  try {
    await Promise.all([
      readModels.devices.watch(EVERYTHING, local.signal, (kind, device, position) =>
        send('device', position, DeviceChange.toJSON({ kind: CHANGE_KIND[kind], device, position })),
      ),
      readModels.gateways.watch(EVERYTHING, local.signal, (kind, gateway, position) =>
        send('gateway', position, GatewayChange.toJSON({ kind: CHANGE_KIND[kind], gateway, position })),
      ),
      readModels.applications.watch(EVERYTHING, local.signal, (kind, application, position) =>
        send('application', position, ApplicationChange.toJSON({ kind: CHANGE_KIND[kind], application, position })),
      ),
    ]);
  } finally {
    // One failed watcher ends the whole stream; the client reconnects and starts over.
    local.abort();
    clearInterval(heartbeat);
    signal.removeEventListener('abort', stop);
    res.end();
  }
}

/** Resolves when the frame is buffered, waiting for 'drain' under backpressure. */
function write(res: ServerResponse, frame: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted || res.writableEnded) return Promise.resolve();
  if (res.write(frame)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
