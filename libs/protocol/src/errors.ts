import { WasmbedError } from '@wasmbed/errors';

/**
 * The protocol's own error codes: the `code` of an Error message, and of the
 * `error` of DeployResult / StopResult / app summaries. docs/protocol.md §9 says who
 * sends each and whether the session survives it.
 */
export const PROTOCOL_ERROR_CODES = [
  'malformed_frame',
  'frame_too_large',
  'invalid_cbor',
  'invalid_message',
  'unsupported_version',
  'unknown_type',
  'unexpected_message',
  'replayed_message',
  'timeout',
  'untrusted_publisher',
  'bad_signature',
  'invalid_manifest',
  'bad_hash',
  'module_too_large',
  'missing_host_function',
  'limit_exceeded',
  'transfer_failed',
  'instantiate_failed',
  'trap',
  'internal',
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export function isProtocolErrorCode(value: string): value is ProtocolErrorCode {
  return (PROTOCOL_ERROR_CODES as readonly string[]).includes(value);
}

/** Where in the received bytes a problem was found, when known. */
export interface ProtocolErrorInfo {
  /** Field path inside the message, e.g. `body.runtime.maxInstances`. */
  readonly path?: string;
  /** msgId of the offending message, once its envelope could be read. */
  readonly msgId?: number;
  /** Message type code, once its envelope could be read. */
  readonly typeCode?: number;
}

/**
 * Received bytes broke the protocol. Every failure of framing, CBOR, envelope, body
 * and manifest decoding is one of these (or a subclass), so a session needs one catch.
 * The WasmbedError code is always invalid_argument (the peer sent bad input);
 * `protocolCode` is what goes into the Error message on the wire.
 */
export class ProtocolError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  /** Only an unknown message type leaves the stream usable; everything else ends the session. */
  readonly fatal: boolean;

  constructor(
    readonly protocolCode: ProtocolErrorCode,
    message: string,
    readonly info: ProtocolErrorInfo = {},
    options?: { cause?: unknown },
  ) {
    super(`${protocolCode}${info.path ? ` at ${info.path}` : ''}: ${message}`, { protocolCode, ...info }, options);
    this.fatal = protocolCode !== 'unknown_type';
  }
}

/** The 4-byte length prefix announced more than the receiver accepts; nothing of the payload was buffered. */
export class FrameTooLargeError extends ProtocolError {
  constructor(
    readonly frameBytes: number,
    readonly maxFrameBytes: number,
  ) {
    super('frame_too_large', `frame of ${frameBytes} bytes exceeds the limit of ${maxFrameBytes}`);
  }
}

/** A length prefix of 0: there is no empty CBOR item, so the stream is corrupt. */
export class ZeroLengthFrameError extends ProtocolError {
  constructor() {
    super('malformed_frame', 'frame length 0 is invalid');
  }
}

/** The stream ended inside a frame (in the prefix or the payload). */
export class TruncatedFrameError extends ProtocolError {
  constructor(
    readonly bufferedBytes: number,
    readonly expectedBytes: number,
  ) {
    super('malformed_frame', `stream ended after ${bufferedBytes} of ${expectedBytes} bytes of a frame`);
  }
}

/**
 * Our own side tried to do something the protocol forbids in the session's current
 * state (a programming error in the gateway, never the device's fault).
 */
export class SessionViolationError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
}
