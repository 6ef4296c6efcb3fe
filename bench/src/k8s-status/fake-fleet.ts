/**
 * A named fake device fleet on the device bus: it answers DeployToDevice and StopOnDevice
 * for its devices as a gateway with a healthy device would (reply ok, then DeployResult
 * ok with the manifest's module hash, or StopResult ok), with no TLS session, no module
 * transfer and no Wasm runtime. 10,000 real simulated devices do not fit 2 cores next to
 * a kube-apiserver, etcd and the control plane; the control plane cannot tell the
 * difference on NATS.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  DEVICE_SUBJECT_PREFIX,
  decodeDeviceCommand,
  deviceStatusSubject,
  encodeDeviceCommandReply,
  encodeDeviceStatus,
  parseDeviceSubject,
  type DeviceCommandReply,
  type DeviceStatusMessage,
} from '@wasmbed/device-bus';
import { decodeManifest } from '@wasmbed/protocol';

export interface FakeFleet {
  /** Session id of each device, as the fake gateway records it in MarkConnected. */
  readonly sessions: ReadonlyMap<string, string>;
  readonly gatewayId: string;
  /** Commands answered so far, by type. */
  readonly answered: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

export function startFakeFleet(nc: NatsConnection, names: readonly string[], gatewayId: string): FakeFleet {
  const sessions = new Map(names.map((name) => [name, randomUUID()]));
  const answered: Record<string, number> = {};
  const origin = (deviceId: string) => ({ deviceId, gatewayId, sessionId: sessions.get(deviceId)!, at: new Date().toISOString() });
  const publish = (message: DeviceStatusMessage) => nc.publish(deviceStatusSubject(message.deviceId), encodeDeviceStatus(message));

  const answer = (deviceId: string, data: Uint8Array): DeviceCommandReply => {
    const command = decodeDeviceCommand(data);
    answered[command.type] = (answered[command.type] ?? 0) + 1;
    switch (command.type) {
      case 'DeployToDevice': {
        const manifest = decodeManifest(Buffer.from(command.manifest, 'base64'));
        // After the reply: a real device reports its outcome once the transfer finished.
        setImmediate(() =>
          publish({ type: 'DeployResult', ...origin(deviceId), appId: command.appId, revision: command.revision, ok: true, sha256: Buffer.from(manifest.sha256).toString('hex') }),
        );
        return { ok: true };
      }
      case 'StopOnDevice':
        setImmediate(() => publish({ type: 'StopResult', ...origin(deviceId), appId: command.appId, ok: true }));
        return { ok: true };
      default:
        return { ok: false, error: { code: 'failed_precondition', message: `the fake fleet does not do ${command.type}` } };
    }
  };

  // One subscription for the whole fleet; names outside it get no answer (as offline devices).
  const sub: Subscription = nc.subscribe(`${DEVICE_SUBJECT_PREFIX}.*.cmd`, {
    callback: (err, msg) => {
      if (err !== null) return;
      const deviceId = parseDeviceSubject(msg.subject)?.deviceId;
      if (deviceId === undefined || !sessions.has(deviceId)) return;
      let reply: DeviceCommandReply;
      try {
        reply = answer(deviceId, msg.data);
      } catch (e) {
        reply = { ok: false, error: { code: 'invalid_argument', message: e instanceof Error ? e.message : String(e) } };
      }
      msg.respond(encodeDeviceCommandReply(reply));
    },
  });

  return {
    sessions,
    gatewayId,
    answered,
    async stop() {
      await sub.drain();
    },
  };
}
