import { z } from 'zod';
import { busErrorSchema, hexField, nameField } from './fields';
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

export const deviceCommandSchema = z.discriminatedUnion('type', [deployToDeviceSchema, stopOnDeviceSchema]);
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;

/**
 * The answer to a command. For Deploy, ok means "accepted by the device and the
 * transfer started"; the outcome arrives later as status messages.
 */
export const deviceCommandReplySchema = z.union([
  z.object({ ok: z.literal(true) }).strict(),
  z.object({ ok: z.literal(false), error: busErrorSchema }).strict(),
]);
export type DeviceCommandReply = z.infer<typeof deviceCommandReplySchema>;

export const encodeDeviceCommand = (command: DeviceCommand): Uint8Array => encodeBusMessage(deviceCommandSchema, command, 'device command');
export const decodeDeviceCommand = (bytes: Uint8Array): DeviceCommand => decodeBusMessage(deviceCommandSchema, bytes, 'device command');
export const encodeDeviceCommandReply = (reply: DeviceCommandReply): Uint8Array =>
  encodeBusMessage(deviceCommandReplySchema, reply, 'device command reply');
export const decodeDeviceCommandReply = (bytes: Uint8Array): DeviceCommandReply =>
  decodeBusMessage(deviceCommandReplySchema, bytes, 'device command reply');
