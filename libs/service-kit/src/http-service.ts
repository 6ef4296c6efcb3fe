import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isWasmbedError } from '@wasmbed/errors';
import { HTTP_STATUS_BY_ERROR_CODE, sendError } from './http-json';
import type { Logger } from './json-logger';
import { listenOn } from './listen';

export interface HttpService {
  /** Resolves with the bound port (0 = a free one). */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting and drops open connections (probes and SSE streams alike). */
  close(): Promise<void>;
}

/**
 * A service's HTTP listener around one async handler. A typed WasmbedError
 * thrown by the handler becomes its HTTP status and JSON error; anything else
 * is a 500 whose body carries only a reference, the details go to the log.
 */
export function serveHttp(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, logger: Pick<Logger, 'error'>): HttpService {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (isWasmbedError(err)) {
        if (err.code === 'unauthenticated') res.setHeader('www-authenticate', 'Bearer');
        return sendError(res, HTTP_STATUS_BY_ERROR_CODE[err.code], err.code, err.message);
      }
      const ref = randomUUID();
      logger.error('HTTP request failed', { path: req.url, ref, error: err });
      sendError(res, 500, 'internal', `internal error (ref ${ref})`);
    });
  });
  return {
    listen: (host, port) => listenOn(server, host, port),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
