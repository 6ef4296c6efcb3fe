/** Protocol version carried in every envelope. */
export const PROTOCOL_VERSION = 1;

/** Largest frame (CBOR item length, prefix excluded) a gateway accepts. */
export const GATEWAY_MAX_FRAME_BYTES = 65_536;
/** Smallest receive limit a device may announce in Hello (`maxFrameBytes`). */
export const MIN_DEVICE_FRAME_BYTES = 4_096;
/** Largest value of the 4-byte length prefix. */
export const MAX_FRAME_PREFIX_VALUE = 0xffff_ffff;

/** Module bytes in one ModuleChunk. */
export const MAX_CHUNK_DATA_BYTES = 16_384;
/**
 * Worst-case bytes of a ModuleChunk frame that are not module data (envelope with
 * 32-bit ids, a 64-byte appId, all keys and 32-bit numbers). data ≤ maxFrameBytes − this.
 */
export const MODULE_CHUNK_OVERHEAD_BYTES = 136;
/** A manifest's deterministic encoding; keeps Deploy within the smallest device frame. */
export const MAX_MANIFEST_BYTES = 3_072;

export const MAX_MSG_ID = 0xffff_ffff;
export const MAX_U32 = 0xffff_ffff;
/** Timestamps and byte counts that may exceed 32 bits stay within what every language's doubles hold exactly. */
export const MAX_U53 = Number.MAX_SAFE_INTEGER;

export const MAX_ID_BYTES = 64;
export const MAX_SHORT_TEXT_BYTES = 128;
export const MAX_REASON_BYTES = 256;
export const MAX_LOG_MESSAGE_BYTES = 1_024;
export const MAX_APPS = 64;
export const MAX_HOST_FUNCTIONS = 128;
export const MAX_CONFIG_ENTRIES = 32;
export const MAX_CONFIG_VALUE_BYTES = 256;
/** Arrays and maps nest at most this deep in any message (v1 bodies need 4). */
export const MAX_NESTING_DEPTH = 16;

export const HELLO_TIMEOUT_MS = 10_000;
/** How long a device waits for Welcome / EnrollmentPending / Rejected after Hello. */
export const ENROLLMENT_REPLY_TIMEOUT_MS = 30_000;
/** The gateway closes a Pending session at the latest this long after EnrollmentPending. */
export const PENDING_HOLD_MS = 300_000;
/** A device that sends no Heartbeat for this many intervals is unreachable. */
export const HEARTBEAT_MISSES = 3;
export const MIN_HEARTBEAT_INTERVAL_MS = 1_000;
export const MAX_HEARTBEAT_INTERVAL_MS = 600_000;
export const MIN_RETRY_AFTER_MS = 1_000;
export const MAX_RETRY_AFTER_MS = 86_400_000;

/** Largest module data the gateway may put in one ModuleChunk for a device with this receive limit. */
export function maxChunkDataBytes(deviceMaxFrameBytes: number): number {
  return Math.min(MAX_CHUNK_DATA_BYTES, deviceMaxFrameBytes - MODULE_CHUNK_OVERHEAD_BYTES);
}
