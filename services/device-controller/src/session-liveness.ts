import type { Device } from '@wasmbed/domain';
import type { LivenessRecord } from '@wasmbed/device-bus';

/** The moment of judgement and how much of the past the controller has actually watched. */
export interface LivenessWindow {
  /** Epoch ms. */
  readonly now: number;
  /**
   * Since when the liveness bucket has been watched without interruption (controller
   * start, NATS reconnect, watch restart). Silence is only held against a device
   * once the controller has watched for longer than the threshold itself: records it
   * has not received yet must not count as missing.
   */
  readonly observingSince: number;
  readonly unreachableAfterMs: number;
}

/**
 * - `alive`: this session's record shows a heartbeat within the threshold (for an
 *   Unreachable device, one newer than the log's last heartbeat: new evidence);
 * - `elsewhere`: a fresh record of another session (the device reconnected; the log
 *   has not caught up yet);
 * - `undecided`: no verdict yet (grace after connect or after the controller started watching);
 * - `stale`: silent for longer than the threshold.
 */
export type SessionLiveness =
  | { readonly state: 'alive'; readonly lastHeartbeatAt: string }
  | { readonly state: 'elsewhere' }
  | { readonly state: 'undecided' }
  | { readonly state: 'stale'; readonly lastHeartbeatAt: string };

const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Judges the log's current session of a device against the latest liveness record
 * seen for it. Evidence is the later of the record's heartbeat and what the log
 * knows (the connect, or the heartbeat recorded when it was marked unreachable), so
 * a record the gateway has not written yet gets the threshold as grace after connect.
 */
export function assessSession(device: Device, record: LivenessRecord | undefined, window: LivenessWindow): SessionLiveness {
  const session = device.session;
  if (session === null) return { state: 'undecided' };
  const recent = (at: string) => window.now - Date.parse(at) <= window.unreachableAfterMs;
  const own = record?.sessionId === session.sessionId ? record : undefined;
  if (record !== undefined && own === undefined && recent(record.lastHeartbeatAt)) return { state: 'elsewhere' };

  const known = device.lastHeartbeatAt ?? session.connectedAt;
  const lastHeartbeatAt = own === undefined ? known : later(own.lastHeartbeatAt, known);
  if (recent(lastHeartbeatAt)) {
    if (own === undefined) return { state: 'undecided' };
    // Unreachable already recorded this heartbeat: only a newer one shows the session is back.
    if (device.status === 'Unreachable' && Date.parse(own.lastHeartbeatAt) <= Date.parse(known)) return { state: 'undecided' };
    return { state: 'alive', lastHeartbeatAt };
  }
  if (window.now - window.observingSince <= window.unreachableAfterMs) return { state: 'undecided' };
  return { state: 'stale', lastHeartbeatAt };
}
