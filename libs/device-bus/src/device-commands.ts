import { RequestError, TimeoutError, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { isWasmbedError } from '@wasmbed/errors';
import {
  decodeDeviceCommand,
  decodeDeviceCommandReply,
  encodeDeviceCommand,
  encodeDeviceCommandReply,
  type DeviceBusCommand,
  type DeviceCommandReply,
} from './commands';
import type { BusError } from './fields';
import { deviceCommandSubject } from './subjects';

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

export interface SendDeviceCommandOptions {
  /** How long to wait for the gateway's reply. Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Sends a command to the gateway that holds the device's session and returns its
 * reply. Failures to reach the device come back as replies too, so callers handle
 * one shape: no responders → `unavailable` (the device is offline); no reply in
 * time → `unavailable` (outcome unknown: watch the status subject).
 */
export async function sendDeviceCommand(
  nc: NatsConnection,
  deviceId: string,
  command: DeviceBusCommand,
  options: SendDeviceCommandOptions = {},
): Promise<DeviceCommandReply> {
  const subject = deviceCommandSubject(deviceId);
  const payload = encodeDeviceCommand(command);
  const timeout = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  try {
    const reply = await nc.request(subject, payload, { timeout });
    return decodeDeviceCommandReply(reply.data);
  } catch (err) {
    if (err instanceof RequestError && err.isNoResponders()) {
      return failed('unavailable', `device '${deviceId}' is offline: no gateway holds a session for it`);
    }
    if (err instanceof TimeoutError || (err instanceof RequestError && err.cause instanceof TimeoutError)) {
      return failed('unavailable', `no reply about device '${deviceId}' within ${timeout} ms; the outcome is unknown`);
    }
    throw err;
  }
}

export type DeviceCommandHandler = (command: DeviceBusCommand) => Promise<DeviceCommandReply>;

/**
 * Answers commands for one device (the gateway subscribes once per live session).
 * Malformed commands and handler errors become error replies: a requester is
 * never left waiting for a timeout because of a bug on this side.
 */
export function serveDeviceCommands(nc: NatsConnection, deviceId: string, handler: DeviceCommandHandler): Subscription {
  return nc.subscribe(deviceCommandSubject(deviceId), {
    callback: (subErr, msg) => {
      if (subErr !== null) return;
      void answer(msg.data, handler).then((reply) => {
        // The requester may be gone (timed out); nothing to do then.
        try {
          msg.respond(encodeDeviceCommandReply(reply));
        } catch {
          /* connection closing */
        }
      });
    },
  });
}

async function answer(data: Uint8Array, handler: DeviceCommandHandler): Promise<DeviceCommandReply> {
  try {
    return await handler(decodeDeviceCommand(data));
  } catch (err) {
    return { ok: false, error: errorToBusError(err) };
  }
}

/** Wasmbed errors keep their code and message; anything else is `internal` without details. */
export function errorToBusError(err: unknown): BusError {
  if (isWasmbedError(err)) return { code: err.code, message: err.message.slice(0, 4096) || err.name };
  return { code: 'internal', message: 'internal error while handling the command' };
}

function failed(code: BusError['code'], message: string): DeviceCommandReply {
  return { ok: false, error: { code, message } };
}
