import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import {
  loadFileDescriptorSetFromBuffer,
  type AnyDefinition,
  type Options,
  type PackageDefinition,
  type EnumTypeDefinition,
  type MessageTypeDefinition,
} from '@grpc/proto-loader';

/**
 * The binary FileDescriptorSet written by scripts/gen-proto.sh (wasmbed.v1 plus
 * its imports, with source info). Resolved next to this file: src/gen in tests,
 * dist/gen after the package build copies it there.
 */
export const WASMBED_DESCRIPTOR_SET_PATH = join(__dirname, 'gen', 'wasmbed.v1.binpb');

/** Fully-qualified names of the services in wasmbed.v1. */
export const WASMBED_SERVICE_NAMES = [
  'wasmbed.v1.AdminService',
  'wasmbed.v1.ApplicationService',
  'wasmbed.v1.DeviceService',
  'wasmbed.v1.GatewayService',
] as const;

// Safe for dynamic (proto-loader) clients: 64-bit values as strings lose nothing.
const DEFAULT_OPTIONS: Options = { longs: String, enums: String, defaults: true, oneofs: true };

export function readWasmbedDescriptorSet(): Buffer {
  return readFileSync(WASMBED_DESCRIPTOR_SET_PATH);
}

/**
 * The `file` entries (FileDescriptorProto bytes) of a FileDescriptorSet,
 * exactly as protoc wrote them.
 */
export function splitFileDescriptorSet(set: Uint8Array): Buffer[] {
  const FILE_FIELD = 1;
  const reader = new BinaryReader(set);
  const files: Buffer[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === FILE_FIELD && wireType === WireType.LengthDelimited) files.push(Buffer.from(reader.bytes()));
    else reader.skip(wireType);
  }
  return files;
}

/**
 * The wasmbed.v1 package as a proto-loader PackageDefinition: what
 * @grpc/reflection needs, and what `grpc.loadPackageDefinition` turns into
 * dynamic clients.
 *
 * proto-loader rebuilds file descriptors through protobuf.js, which drops the
 * doc comments and turns map fields into repeated `*Entry` messages. Reflection
 * serves each definition's `fileDescriptorProtos`, so they are replaced with
 * protoc's originals: reflection clients see the real schema and its comments.
 * (Dynamic clients built from this definition still see maps as entry lists;
 * use the generated clients instead.)
 */
export function loadWasmbedPackageDefinition(options: Options = DEFAULT_OPTIONS): PackageDefinition {
  const set = readWasmbedDescriptorSet();
  const definition = loadFileDescriptorSetFromBuffer(set, options);
  const originals = splitFileDescriptorSet(set);
  for (const entry of Object.values(definition).filter(isTypeDefinition)) entry.fileDescriptorProtos = originals;
  return definition;
}

/** Message and enum entries of a PackageDefinition (the others are services). */
export function isTypeDefinition(entry: AnyDefinition): entry is MessageTypeDefinition<object, object> | EnumTypeDefinition {
  return typeof entry['format'] === 'string';
}
