import { z } from 'zod';
import { busErrorSchema, endpointField, hexField, nameField, tokenField } from './fields';
import { decodeBusMessage, encodeBusMessage } from './json-codec';

/** Largest manifest a command may carry, decoded (it must also fit one device frame). */
export const MAX_MANIFEST_BYTES = 32 * 1024;

const base64Field = z
  .string()
  .min(1)
  .max(Math.ceil(MAX_MANIFEST_BYTES / 3) * 4, `must encode at most ${MAX_MANIFEST_BYTES} bytes`)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be standard base64 with padding');

/**
 * Install revision `revision` of `appId`. The module bytes are not in the message:
 * the manifest names their SHA-256 and the gateway reads them from the module
 * store (putModule before sending).
 */
export const deployToDeviceSchema = z
  .object({
    type: z.literal('DeployToDevice'),
    appId: nameField,
    revision: z.number().int().min(1),
    /** Base64 of the deterministic manifest bytes the publisher signed. */
    manifest: base64Field,
    /** Ed25519 signature over the manifest bytes. */
    signature: hexField(64),
    /** Ed25519 key of the publisher that signed. */
    publisherKey: hexField(32),
  })
  .strict();
export type DeployToDevice = z.infer<typeof deployToDeviceSchema>;

export const stopOnDeviceSchema = z.object({ type: z.literal('StopOnDevice'), appId: nameField }).strict();
export type StopOnDevice = z.infer<typeof stopOnDeviceSchema>;

/**
 * Move the device to another gateway: the gateway holding session `sessionId` sends
 * it Bye {reason: "rebalance", endpoint} and closes. A gateway holding another
 * session of the device (it reconnected meanwhile) refuses, as does one whose
 * device did not announce the protocol's "redirect" feature.
 */
export const rebalanceDeviceSchema = z
  .object({
    type: z.literal('RebalanceDevice'),
    sessionId: tokenField,
    /** Where the device should connect next: the target gateway's endpoint. */
    endpoint: endpointField,
  })
  .strict();
export type RebalanceDevice = z.infer<typeof rebalanceDeviceSchema>;

/** Every command a gateway answers on a device's `.cmd` subject. */
export const deviceCommandSchema = z.discriminatedUnion('type', [deployToDeviceSchema, stopOnDeviceSchema, rebalanceDeviceSchema]);
export type DeviceBusCommand = z.infer<typeof deviceCommandSchema>;
/** The commands about a device's apps (what the app-controller sends). */
export type DeviceCommand = DeployToDevice | StopOnDevice;

/**
 * The answer to a command. For Deploy, ok means "accepted by the device and the
 * transfer started"; the outcome arrives later as status messages.
 */
export const deviceCommandReplySchema = z.union([
  z.object({ ok: z.literal(true) }).strict(),
  z.object({ ok: z.literal(false), error: busErrorSchema }).strict(),
]);
export type DeviceCommandReply = z.infer<typeof deviceCommandReplySchema>;

export const encodeDeviceCommand = (command: DeviceBusCommand): Uint8Array => encodeBusMessage(deviceCommandSchema, command, 'device command');
export const decodeDeviceCommand = (bytes: Uint8Array): DeviceBusCommand => decodeBusMessage(deviceCommandSchema, bytes, 'device command');
export const encodeDeviceCommandReply = (reply: DeviceCommandReply): Uint8Array =>
  encodeBusMessage(deviceCommandReplySchema, reply, 'device command reply');
export const decodeDeviceCommandReply = (bytes: Uint8Array): DeviceCommandReply =>
  decodeBusMessage(deviceCommandReplySchema, bytes, 'device command reply');
