// The generated API of protobuf package wasmbed.v1. Message names are unique
// within the package, and gen-proto.sh keeps ts-proto's per-file helpers
// (DeepPartial, protobufPackage...) unexported, so every file re-exports flat.
export * from './gen/wasmbed/v1/common';
export * from './gen/wasmbed/v1/device';
export * from './gen/wasmbed/v1/application';
export * from './gen/wasmbed/v1/gateway';
export * from './gen/wasmbed/v1/events';
export * from './gen/wasmbed/v1/admin';
export {
  WASMBED_DESCRIPTOR_SET_PATH,
  WASMBED_SERVICE_NAMES,
  isTypeDefinition,
  loadWasmbedPackageDefinition,
  readWasmbedDescriptorSet,
  splitFileDescriptorSet,
} from './descriptor-set';
