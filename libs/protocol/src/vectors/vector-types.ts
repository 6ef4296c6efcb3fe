import type { ProtocolErrorCode } from '../errors';
import type { JsonValue } from './json-form';

// Shapes of the committed vector files (libs/protocol/vectors/README.md).

export const VECTOR_FORMAT = 'wasmbed-protocol-vectors/1';

export interface FrameVector {
  readonly name: string;
  readonly description: string;
  /** The receiver's limit for this stream. */
  readonly maxFrameBytes: number;
  /** The whole byte stream, then end of stream. */
  readonly hex: string;
  /** Payloads the receiver emits, in order (before the error, if any). */
  readonly frames: readonly string[];
  readonly error?: ProtocolErrorCode;
}

export interface MessageVector {
  readonly name: string;
  readonly description: string;
  /** One whole frame, length prefix included. */
  readonly hex: string;
  /** The message in JSON form; absent when `error` is set. */
  readonly decoded?: JsonValue;
  readonly error?: ProtocolErrorCode;
  /** Informative: the field a decoder would point at. */
  readonly path?: string;
}

export interface ManifestVector {
  readonly name: string;
  readonly description: string;
  /** The manifest bytes as carried in Deploy.manifest (not framed). */
  readonly hex: string;
  readonly signature?: string;
  readonly publicKey?: string;
  readonly decoded?: JsonValue;
  readonly error?: ProtocolErrorCode;
}

export interface VectorFile<V> {
  readonly format: typeof VECTOR_FORMAT;
  readonly description: string;
  readonly vectors: readonly V[];
}

export interface ManifestVectorFile extends VectorFile<ManifestVector> {
  readonly publisher: { readonly note: string; readonly seed: string; readonly publicKey: string };
  readonly module: { readonly hex: string; readonly sha256: string };
}
