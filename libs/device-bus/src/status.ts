import { z } from 'zod';
import { appStateField, deviceAppIdField, deviceErrorSchema } from './app-state';
import { isoTimeField, nameField, sha256Field, tokenField } from './fields';
import { decodeBusMessage, encodeBusMessage } from './json-codec';

/** Who reported, common to every status and log message. */
const origin = {
  deviceId: nameField,
  gatewayId: nameField,
  sessionId: tokenField,
  /** Gateway time the message was received from the device. */
  at: isoTimeField,
};

/** The device's answer to a Deploy: ok means the module is verified and running (sha256 = what runs). */
export const deployResultStatusSchema = z
  .object({
    type: z.literal('DeployResult'),
    ...origin,
    appId: deviceAppIdField,
    revision: z.number().int().min(1),
    ok: z.boolean(),
    sha256: sha256Field.optional(),
    error: deviceErrorSchema.optional(),
  })
  .strict();

export const stopResultStatusSchema = z
  .object({
    type: z.literal('StopResult'),
    ...origin,
    appId: deviceAppIdField,
    ok: z.boolean(),
    error: deviceErrorSchema.optional(),
  })
  .strict();

/** An app changed state (reported by the device, or seen changed in a heartbeat's app list). */
export const appStatusSchema = z
  .object({
    type: z.literal('AppStatus'),
    ...origin,
    appId: deviceAppIdField,
    revision: z.number().int().min(1),
    state: appStateField,
    restarts: z.number().int().min(0),
    error: deviceErrorSchema.optional(),
  })
  .strict();

/** Everything published on `wasmbed.device.<id>.status`. */
export const deviceStatusMessageSchema = z.discriminatedUnion('type', [deployResultStatusSchema, stopResultStatusSchema, appStatusSchema]);
export type DeviceStatusMessage = z.infer<typeof deviceStatusMessageSchema>;
export type DeployResultStatus = z.infer<typeof deployResultStatusSchema>;
export type StopResultStatus = z.infer<typeof stopResultStatusSchema>;
export type AppStatusChange = z.infer<typeof appStatusSchema>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One app log line, published on `wasmbed.device.<id>.log`. */
export const deviceLogMessageSchema = z
  .object({
    ...origin,
    appId: deviceAppIdField,
    level: z.enum(LOG_LEVELS),
    message: z.string().max(4096),
    /** The device's own clock (ms since the epoch), as it stamped the line. */
    deviceTimeMs: z.number().int().min(0),
  })
  .strict();
export type DeviceLogMessage = z.infer<typeof deviceLogMessageSchema>;

export const encodeDeviceStatus = (message: DeviceStatusMessage): Uint8Array =>
  encodeBusMessage(deviceStatusMessageSchema, message, 'device status message');
export const decodeDeviceStatus = (bytes: Uint8Array): DeviceStatusMessage =>
  decodeBusMessage(deviceStatusMessageSchema, bytes, 'device status message');
export const encodeDeviceLog = (message: DeviceLogMessage): Uint8Array => encodeBusMessage(deviceLogMessageSchema, message, 'device log message');
export const decodeDeviceLog = (bytes: Uint8Array): DeviceLogMessage => decodeBusMessage(deviceLogMessageSchema, bytes, 'device log message');
