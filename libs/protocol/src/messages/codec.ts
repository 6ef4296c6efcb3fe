import { decodeCbor } from '../cbor/decode';
import { encodeCbor } from '../cbor/encode';
import type { CborValue } from '../cbor/values';
import { ProtocolError } from '../errors';
import { encodeFrame } from '../framing';
import { MAX_MSG_ID, MAX_U32, PROTOCOL_VERSION } from '../limits';
import { uint, type Schema } from '../schema';
import { MESSAGE_CATALOG, maySend, messageTypeOfCode, type MessageType } from './catalog';
import type { DeviceMessage, GatewayMessage, Message } from './types';

const INVALID = { code: 'invalid_message' } as const;
const msgIdField = uint(1, MAX_MSG_ID);
const correlationIdField = uint(0, MAX_MSG_ID);
const typeField = uint(0, MAX_U32);

function bodySchema(type: MessageType): Schema<unknown> {
  return MESSAGE_CATALOG[type].body;
}

/**
 * The message's CBOR item: `[version, type, msgId, correlationId, body]`, encoded
 * deterministically. Validates everything first (throws ProtocolError
 * invalid_message naming the field), so nothing invalid is ever sent.
 */
export function encodeMessage(message: Message): Uint8Array {
  const entry = MESSAGE_CATALOG[message.type] as { code: number } | undefined;
  if (!entry) throw new ProtocolError('unknown_type', `no message type "${String(message.type)}"`, { path: 'type' });
  msgIdField.parse(message.msgId, 'msgId', INVALID);
  correlationIdField.parse(message.correlationId, 'correlationId', INVALID);
  const body = bodySchema(message.type).parse(message.body, 'body', INVALID) as CborValue;
  return encodeCbor([PROTOCOL_VERSION, entry.code, message.msgId, message.correlationId, body]);
}

/** encodeMessage, with the length prefix. */
export function encodeMessageFrame(message: Message): Uint8Array {
  return encodeFrame(encodeMessage(message));
}

/**
 * Decodes one frame payload. Throws ProtocolError: invalid_cbor, invalid_message
 * (with the field path), unsupported_version, or unknown_type — the only one that
 * is not fatal; its `info.msgId` lets the receiver answer and keep counting.
 */
export function decodeMessage(payload: Uint8Array): Message {
  const envelope = decodeCbor(payload);
  if (!Array.isArray(envelope) || envelope.length !== 5) {
    throw new ProtocolError('invalid_message', 'must be an array of 5 items [version, type, msgId, correlationId, body]', { path: 'envelope' });
  }
  const [version, typeCode, msgId, correlationId, body] = envelope as CborValue[];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new ProtocolError('invalid_message', 'must be an unsigned integer', { path: 'version' });
  }
  if (version !== PROTOCOL_VERSION) {
    throw new ProtocolError('unsupported_version', `version ${version} is not supported (this side speaks ${PROTOCOL_VERSION})`);
  }
  const code = typeField.parse(typeCode, 'type', INVALID);
  const id = msgIdField.parse(msgId, 'msgId', INVALID);
  const info = { msgId: id, typeCode: code };
  const correlation = correlationIdField.parse(correlationId, 'correlationId', { code: 'invalid_message', info });
  const type = messageTypeOfCode(code);
  if (type === undefined) throw new ProtocolError('unknown_type', `message type ${code} is unknown`, info);
  const parsed = bodySchema(type).parse(body, 'body', { code: 'invalid_message', info });
  return { type, msgId: id, correlationId: correlation, body: parsed } as Message;
}

/** decodeMessage for a gateway: a gateway-only type is unexpected_message (fatal). */
export function decodeDeviceMessage(payload: Uint8Array): DeviceMessage {
  return fromSide('device', decodeMessage(payload)) as DeviceMessage;
}

/** decodeMessage for a device: a device-only type is unexpected_message (fatal). */
export function decodeGatewayMessage(payload: Uint8Array): GatewayMessage {
  return fromSide('gateway', decodeMessage(payload)) as GatewayMessage;
}

function fromSide(side: 'device' | 'gateway', message: Message): Message {
  if (!maySend(side, message.type)) {
    throw new ProtocolError('unexpected_message', `${message.type} is never sent by a ${side}`, {
      msgId: message.msgId,
      typeCode: MESSAGE_CATALOG[message.type].code,
    });
  }
  return message;
}
