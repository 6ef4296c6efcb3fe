import type { ServerResponse } from 'node:http';

export const HEARTBEAT_MS = 15_000;

export interface EventStreamWriter {
  /** Aborted when the caller's signal aborts or the stream is closed. */
  readonly signal: AbortSignal;
  /** Resolves once the frame is buffered (waiting for 'drain' under backpressure). */
  send(event: string, data: unknown, id?: number | string): Promise<void>;
  /** Stops the heartbeat and ends the response. */
  close(): void;
}

/**
 * Starts a server-sent events response: headers, an opening comment, and a
 * `: heartbeat` comment every `heartbeatMs` so proxies keep an idle stream open.
 */
export function openEventStream(res: ServerResponse, signal: AbortSignal, comment: string, heartbeatMs = HEARTBEAT_MS): EventStreamWriter {
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`: ${comment}\n\n`);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  return {
    signal: local.signal,
    send(event, data, id) {
      const idLine = id === undefined ? '' : `id: ${id}\n`;
      return write(res, `event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`, local.signal);
    },
    close() {
      local.abort();
      clearInterval(heartbeat);
      signal.removeEventListener('abort', stop);
      res.end();
    },
  };
}

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
