/**
 * What a gateway writes to the fleet log when a pre-registered device connects: the
 * enrollment (its key matches), the session and the capabilities its Hello reported —
 * decided in turn and recorded as one commit per device, with the fake fleet's session
 * ids, so the control plane sees connected devices able to run the application.
 */
import { randomUUID } from 'node:crypto';
import { deviceDecider, type DeviceCapabilities, type DeviceCommand, type DeviceEvent, type DeviceState } from '@wasmbed/domain';
import { handleCommand, type Decider, type DomainEvent, type EventStore } from '@wasmbed/event-log';

export interface ConnectingDevice {
  readonly name: string;
  /** Hex Ed25519 public key, as registered. */
  readonly publicKey: string;
  readonly sessionId: string;
}

/** A decider running a list of commands one after another on the state each leaves. */
function oneAfterAnother<C, E extends DomainEvent, S>(decider: Decider<C, E, S>): Decider<readonly C[], E, S> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide: (commands, state) => {
      const out: E[] = [];
      let current = state;
      for (const command of commands) {
        for (const event of decider.decide(command, current)) {
          current = decider.evolve(current, event);
          out.push(event);
        }
      }
      return out;
    },
  };
}

const devicesInTurn = oneAfterAnother<DeviceCommand, DeviceEvent, DeviceState>(deviceDecider);

/** Enrolls and connects every device through `gatewayId`, `concurrency` commits in flight. */
export async function connectThroughFakeGateway(
  store: EventStore,
  devices: readonly ConnectingDevice[],
  options: { gatewayId: string; capabilities: DeviceCapabilities; concurrency: number },
): Promise<void> {
  const { gatewayId, capabilities } = options;
  const actor = `gateway:${gatewayId}`;
  const queue = [...devices];
  const worker = async (): Promise<void> => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const now = new Date().toISOString();
      const metadata = { now, actor };
      const commandId = randomUUID();
      await handleCommand({
        store,
        decider: devicesInTurn,
        stream: { aggregateType: 'device', aggregateId: d.name },
        command: [
          { type: 'RequestEnrollment', data: { deviceId: d.name, publicKey: d.publicKey, gatewayId, pairingModeActive: false, autoApprove: false, capabilities }, metadata },
          { type: 'MarkConnected', data: { deviceId: d.name, gatewayId, sessionId: d.sessionId }, metadata },
          { type: 'ReportCapabilities', data: { deviceId: d.name, capabilities }, metadata },
        ],
        metadata: { commandId, correlationId: commandId, actor, now },
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}
