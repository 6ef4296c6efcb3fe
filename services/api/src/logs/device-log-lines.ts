import type { DeviceLogMessage } from '@wasmbed/device-bus';
import { LogLevel, type DeviceLogLine, type StreamDeviceLogsRequest } from '@wasmbed/proto';
import { z } from 'zod';
import { checked, resourceName } from '../grpc/request-schemas';

/** Most stored lines one request may ask for. */
export const MAX_LOG_TAIL = 10_000;

const LOG_LEVEL: Readonly<Record<DeviceLogMessage['level'], LogLevel>> = {
  debug: LogLevel.LOG_LEVEL_DEBUG,
  info: LogLevel.LOG_LEVEL_INFO,
  warn: LogLevel.LOG_LEVEL_WARN,
  error: LogLevel.LOG_LEVEL_ERROR,
};

export const streamDeviceLogsSchema = checked<StreamDeviceLogsRequest>({
  deviceName: z.union([z.literal(''), resourceName]),
  // Apps are named as devices report them: at most 64 characters.
  application: z.string().max(64, 'must be at most 64 characters'),
  tail: z.number().int().max(MAX_LOG_TAIL, `must be at most ${MAX_LOG_TAIL}`),
});

/** A line as the gateway published it, in API terms. */
export function toLogLine(message: DeviceLogMessage): DeviceLogLine {
  return {
    deviceName: message.deviceId,
    application: message.appId,
    level: LOG_LEVEL[message.level],
    message: message.message,
    deviceTime: new Date(message.deviceTimeMs),
    receivedAt: new Date(message.at),
    gateway: message.gatewayId,
  };
}
