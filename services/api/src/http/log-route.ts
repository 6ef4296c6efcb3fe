import { validateRequest } from '@wasmbed/grpc-kit';
import { DeviceLogLine, type StreamDeviceLogsRequest } from '@wasmbed/proto';
import { sendJson } from '@wasmbed/service-kit';
import { InvalidQuery } from '../errors';
import { streamDeviceLogsSchema } from '../logs/device-log-lines';
import type { DeviceLogs } from '../logs/device-logs';
import type { HttpHandler } from './http-context';
import { intParam } from './query-params';
import { openEventStream } from './sse';

/** Lines sent when `tail` is not given: curl users want some context by default. */
export const DEFAULT_HTTP_LOG_TAIL = 100;

function followParam(params: URLSearchParams): boolean {
  const raw = params.get('follow');
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new InvalidQuery('follow', "must be 'true' or 'false'");
}

/**
 * GET /api/v1/devices/{name}/logs?application=&tail=&follow=: the same
 * request and checks as gRPC StreamDeviceLogs. Without follow, one JSON
 * document `{lines}`; with follow, server-sent events `log` (the tail first),
 * until the client disconnects.
 */
export function deviceLogRoute(logs: DeviceLogs, heartbeatMs?: number): HttpHandler {
  return async ({ url, params, res, signal }) => {
    const query = url.searchParams;
    const request = await validateRequest<StreamDeviceLogsRequest>(streamDeviceLogsSchema, {
      deviceName: params.name,
      application: query.get('application') ?? '',
      tail: query.has('tail') ? intParam(query, 'tail') : DEFAULT_HTTP_LOG_TAIL,
      follow: followParam(query),
    });
    if (!request.follow) {
      const lines: unknown[] = [];
      await logs.stream(request, signal, async (line) => {
        lines.push(DeviceLogLine.toJSON(line));
      });
      sendJson(res, 200, { lines });
      return;
    }
    // A missing device is answered with a status, before the event stream starts.
    await logs.check(request);
    const stream = openEventStream(res, signal, 'wasmbed device logs', heartbeatMs);
    try {
      await logs.read(request, stream.signal, (line) => stream.send('log', DeviceLogLine.toJSON(line)));
    } finally {
      stream.close();
    }
  };
}
