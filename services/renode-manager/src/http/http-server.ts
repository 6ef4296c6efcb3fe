import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@wasmbed/errors';
import type { Authenticator } from '@wasmbed/grpc-kit';
import { authenticateHttp, probeRoutes, requestPath, sendError, sendJson, serveHttp, type HttpService, type Logger, type Readiness } from '@wasmbed/service-kit';
import type { Registry } from 'prom-client';
import { parseCommand, parseJsonBody, type CommandInput, type Verb } from '../commands/command-schemas';
import { runCommand } from '../commands/run-command';
import type { DeviceManager } from '../devices/device-manager';

export interface ManagerHttpOptions {
  readonly manager: DeviceManager;
  readonly metrics: Registry;
  readonly readiness: () => Readiness;
  readonly status: () => unknown;
  /** Bearer tokens for the write routes (admin role). */
  readonly authenticator: Authenticator;
  readonly logger: Logger;
}

const MAX_BODY_BYTES = 64 * 1024;
const DEVICES = '/api/v1/emulated-devices';

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ValidationError(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The command a request names, or undefined for no such route. `method` is already checked per route. */
function routeOf(method: string, path: string): { verb: Verb; name?: string; write: boolean } | undefined {
  if (path === DEVICES) return method === 'POST' ? { verb: 'create', write: true } : method === 'GET' ? { verb: 'list', write: false } : undefined;
  const m = /^\/api\/v1\/emulated-devices\/([^/]+)(?:\/(start|stop|restart))?$/.exec(path);
  if (m === null) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    throw new ValidationError(`the device name in ${path} is not valid percent-encoding`);
  }
  const action = m[2] as 'start' | 'stop' | 'restart' | undefined;
  if (action !== undefined) return method === 'POST' ? { verb: action, name, write: true } : undefined;
  if (method === 'GET') return { verb: 'get', name, write: false };
  if (method === 'DELETE') return { verb: 'delete', name, write: true };
  return undefined;
}

/**
 * Probes, metrics, /status, and the commands over HTTP/JSON: reads are open like
 * /status, writes (create, start, stop, restart, delete) need an admin bearer token.
 */
export function createManagerHttpServer(options: ManagerHttpOptions): HttpService {
  const probes = probeRoutes(options);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req);
    if (await probes(req, res, path)) return;
    const method = req.method ?? 'GET';
    const route = routeOf(method, path);
    if (route === undefined) {
      return path === DEVICES || path.startsWith(`${DEVICES}/`)
        ? sendError(res, 405, 'method_not_allowed', `${method} is not allowed on ${path}`)
        : sendError(res, 404, 'not_found', `no route for ${path}`);
    }
    if (route.write) await authenticateHttp(req, options.authenticator, 'admin', `${route.verb} an emulated device`);
    const body = route.verb === 'create' ? parseJsonBody(await readBody(req), route.verb) : route.name === undefined ? undefined : { name: route.name };
    const input: CommandInput = parseCommand(route.verb, body);
    const result = await runCommand(options.manager, input);
    sendJson(res, route.verb === 'create' ? 201 : 200, result);
  }

  return serveHttp(handle, options.logger);
}
