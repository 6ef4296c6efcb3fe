import type { NatsConnection } from '@nats-io/transport-node';
import { deviceLogSubject, encodeDeviceLog } from '@wasmbed/device-bus';
import type { ConsoleLevel } from './console-lines';

/**
 * The app id console lines are published under. Not a DNS label (the dot), so it
 * never collides with an application of the platform.
 */
export const CONSOLE_APP_ID = 'emu.console';

export interface ConsoleLine {
  readonly deviceName: string;
  /** Identifies the emulator run the line came from (`<device>.run-<n>`). */
  readonly sessionId: string;
  readonly level: ConsoleLevel;
  readonly text: string;
}

export type ConsoleLogSink = (line: ConsoleLine) => void;

/**
 * Publishes console lines as device log lines on `wasmbed.device.<name>.log`, the
 * subject gateways forward app logs on, so they land in WASMBED_DEVICE_LOGS and
 * the api's log queries with everything else. Core NATS: fire and forget, like the
 * gateways; the stream is the api's to create. `gatewayId` names this manager.
 */
export function natsConsoleLogSink(nc: NatsConnection, managerId: string, clock: () => number = Date.now): ConsoleLogSink {
  return (line) => {
    const now = clock();
    nc.publish(
      deviceLogSubject(line.deviceName),
      encodeDeviceLog({
        deviceId: line.deviceName,
        gatewayId: managerId,
        sessionId: line.sessionId,
        at: new Date(now).toISOString(),
        appId: CONSOLE_APP_ID,
        level: line.level,
        message: line.text,
        // The console carries no device clock: the time the manager read the line.
        deviceTimeMs: now,
      }),
    );
  };
}
