import { maxChunkDataBytes } from '@wasmbed/protocol';

/**
 * The module bytes to answer a ModuleRequest with: from the requested offset
 * (which is how a transfer resumes after a reconnect), no more than the device
 * asked for, than fits one of its frames with the chunk overhead, or than is left.
 */
export function chunkRange(
  request: { readonly offset: number; readonly maxBytes: number },
  totalBytes: number,
  deviceMaxFrameBytes: number,
): { start: number; end: number } {
  if (request.offset >= totalBytes) throw new RangeError(`offset ${request.offset} is not below the module size ${totalBytes}`);
  const length = Math.min(request.maxBytes, maxChunkDataBytes(deviceMaxFrameBytes), totalBytes - request.offset);
  if (length <= 0) throw new RangeError(`a device frame limit of ${deviceMaxFrameBytes} leaves no room for module data`);
  return { start: request.offset, end: request.offset + length };
}
