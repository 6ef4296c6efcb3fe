import {
  CONFIG_BUFFER_TOO_SMALL,
  CONFIG_MISSING,
  HOST_MODULE,
  LOG_LEVELS,
  type LogLevel,
} from './abi';
import { HostTrap } from './errors';
import { guestBytes, type MemoryRef } from './guest-memory';
import { decodeLogMessage, decodeUtf8OrNull, encodeUtf8 } from './utf8';

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  /** The app passed more than LOG_MAX_BYTES bytes. */
  readonly truncated: boolean;
}

/**
 * What a host supplies behind the ABI. The import functions below check and
 * convert arguments; hooks hold the host's policy (clock, sleeping, config,
 * sensors). A hook may throw (e.g. AppStopRequested from sleepMs) to end the
 * app: the exception unwinds through the WebAssembly frames to the caller.
 */
export interface WasmbedHostHooks {
  log(record: LogRecord): void;
  /** Milliseconds since the entry point was called, monotonic, sleeps included. */
  nowMs(): number;
  /** Returns after ms milliseconds (real or virtual); ms >= 0. */
  sleepMs(ms: number): void;
  /** Value of a RuntimeConfig.env entry, or undefined. */
  config(key: string): string | undefined;
  /** Reading in milli-units, or SENSOR_UNAVAILABLE. */
  sensorRead(channel: number): number;
  /** 32 random bits as an unsigned number. */
  randomU32(): number;
}

/** The "wasmbed" import module, typed for direct calls in tests (a type alias: WebAssembly.Imports needs an index signature). */
export type WasmbedImportFunctions = {
  log: (level: number, ptr: number, len: number) => void;
  now_ms: () => bigint;
  sleep_ms: (ms: number) => void;
  config_get: (keyPtr: number, keyLen: number, bufPtr: number, bufLen: number) => number;
  sensor_read: (channel: number) => number;
  random_u32: () => number;
};

const I32_MIN = -2_147_483_648;
const I32_MAX = 2_147_483_647;

function toI32(value: number): number {
  return Math.min(I32_MAX, Math.max(I32_MIN, Math.trunc(value)));
}

/**
 * The import object of ABI v1. JS receives i32 arguments as signed numbers
 * (pointers and lengths are reinterpreted as unsigned) and must return i64
 * results as BigInt.
 */
export function createWasmbedImports(memory: MemoryRef, hooks: WasmbedHostHooks): { [HOST_MODULE]: WasmbedImportFunctions } {
  const wasmbed: WasmbedImportFunctions = {
    log(level, ptr, len) {
      const name = LOG_LEVELS[level];
      if (name === undefined) throw new HostTrap('log', `level ${level} is not 0..${LOG_LEVELS.length - 1}`);
      hooks.log({ level: name, ...decodeLogMessage(guestBytes(memory, 'log', ptr, len)) });
    },
    now_ms() {
      return BigInt(Math.floor(hooks.nowMs()));
    },
    sleep_ms(ms) {
      if (ms < 0) throw new HostTrap('sleep_ms', `negative duration ${ms}`);
      hooks.sleepMs(ms);
    },
    config_get(keyPtr, keyLen, bufPtr, bufLen) {
      // Both ranges are checked first, so a bad pointer traps whatever the config holds.
      const keyBytes = guestBytes(memory, 'config_get', keyPtr, keyLen);
      const buf = guestBytes(memory, 'config_get', bufPtr, bufLen);
      const key = decodeUtf8OrNull(keyBytes);
      const value = key === null ? undefined : hooks.config(key);
      if (value === undefined) return CONFIG_MISSING;
      const encoded = encodeUtf8(value);
      if (encoded.length > buf.length) return CONFIG_BUFFER_TOO_SMALL;
      buf.set(encoded);
      return encoded.length;
    },
    sensor_read(channel) {
      return toI32(hooks.sensorRead(channel));
    },
    random_u32() {
      return hooks.randomU32() | 0;
    },
  };
  return { [HOST_MODULE]: wasmbed };
}
