import { z } from 'zod';
import { decodeBusMessage, encodeBusMessage } from './json-codec';
import { isoTimeField, nameField, sha256Field, tokenField } from './fields';
import { appStateField, deviceAppIdField, deviceErrorSchema } from './app-state';

/** What a device last said about one app, as the gateway saw it. */
export const livenessAppSchema = z
  .object({
    appId: deviceAppIdField,
    revision: z.number().int().min(1),
    sha256: sha256Field,
    state: appStateField,
    restarts: z.number().int().min(0),
    error: deviceErrorSchema.optional(),
  })
  .strict();
export type LivenessApp = z.infer<typeof livenessAppSchema>;

/**
 * The live view of one connected device, kept fresh by the gateway holding its
 * session (at once on app changes, else once per flush period). Cheap and overwritten in place: history lives in
 * the event log (connects, disconnects) and on the status subject (app changes).
 */
export const livenessRecordSchema = z
  .object({
    deviceId: nameField,
    gatewayId: nameField,
    sessionId: tokenField,
    connectedAt: isoTimeField,
    lastHeartbeatAt: isoTimeField,
    /** Heartbeats received in this session (0 before the first). */
    heartbeatSeq: z.number().int().min(0),
    uptimeMs: z.number().int().min(0),
    freeMemoryBytes: z.number().int().min(0),
    apps: z.array(livenessAppSchema).max(256),
  })
  .strict();
export type LivenessRecord = z.infer<typeof livenessRecordSchema>;

export const encodeLivenessRecord = (record: LivenessRecord): Uint8Array => encodeBusMessage(livenessRecordSchema, record, 'liveness record');
export const decodeLivenessRecord = (bytes: Uint8Array): LivenessRecord => decodeBusMessage(livenessRecordSchema, bytes, 'liveness record');
