import type { NatsConnection } from '@nats-io/transport-node';
import { readDeviceLogs } from '@wasmbed/device-bus';
import type { Device, DeviceLogLine, StreamDeviceLogsRequest } from '@wasmbed/proto';
import { ResourceNotFound } from '../errors';
import type { Logger } from '../logger';
import type { DeviceDoc } from '../projections/documents';
import type { ResourceReader } from '../queries/resource-reader';
import { toLogLine } from './device-log-lines';

/** Device log lines from the log stream, for gRPC StreamDeviceLogs and the HTTP logs route. */
export class DeviceLogs {
  constructor(
    private readonly nc: NatsConnection,
    private readonly devices: ResourceReader<DeviceDoc, Device>,
    private readonly logger: Logger,
  ) {}

  /**
   * Sends the newest `tail` matching lines (oldest first), then with `follow`
   * new lines until `signal` aborts. `request` is validated by the caller.
   */
  async stream(request: StreamDeviceLogsRequest, signal: AbortSignal, send: (line: DeviceLogLine) => Promise<void>): Promise<void> {
    await this.check(request);
    await this.read(request, signal, send);
  }

  /** A named device must be known to the read model: NOT_FOUND otherwise. */
  async check(request: StreamDeviceLogsRequest): Promise<void> {
    const device = request.deviceName;
    if (device !== '' && (await this.devices.find(device)) === undefined) throw new ResourceNotFound('device', [device]);
  }

  /** `stream` without the device check. */
  async read(request: StreamDeviceLogsRequest, signal: AbortSignal, send: (line: DeviceLogLine) => Promise<void>): Promise<void> {
    await readDeviceLogs(
      this.nc,
      {
        deviceId: request.deviceName === '' ? undefined : request.deviceName,
        appId: request.application === '' ? undefined : request.application,
        tail: request.tail,
        follow: request.follow,
        signal,
        onInvalid: (err, seq) => this.logger.debug('skipped a stored device log message that is no valid log line', { seq, error: err }),
      },
      (message) => send(toLogLine(message)),
    );
  }
}
