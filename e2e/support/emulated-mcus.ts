/**
 * renode-manager as an operator drives it: its NATS commands (`<prefix>.<verb>`,
 * JSON request/reply), with the fields of a device view the e2e tests look at.
 */
import { existsSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import { EMU_SUBJECT_PREFIX } from './stack';

/** The parts of renode-manager's device view (services/renode-manager README, "Commands") the tests read. */
export interface EmulatedMcuView {
  readonly name: string;
  readonly board: string;
  readonly architecture: string;
  readonly phase: 'Creating' | 'Running' | 'Stopped' | 'Crashed' | 'Deleted';
  readonly run: number;
  readonly pid: number | null;
  readonly publicKey: string | null;
  readonly bridge: { readonly gatewayConnections: number; readonly gatewayOpen: boolean; readonly toGateway: number; readonly toDevice: number } | null;
  readonly console: { readonly lines: number; readonly recent: readonly string[] };
}

type Reply = { ok: true; device: EmulatedMcuView } | { ok: false; error: { code: string; message: string } };

// A create answers once QEMU attached its serial ports; give it room on a loaded machine.
const COMMAND_TIMEOUT_MS = 60_000;

export async function emuCommand(nc: NatsConnection, verb: 'create' | 'get' | 'stop' | 'start' | 'delete', body: object): Promise<EmulatedMcuView> {
  const msg = await nc.request(`${EMU_SUBJECT_PREFIX}.${verb}`, JSON.stringify(body), { timeout: COMMAND_TIMEOUT_MS });
  const reply = JSON.parse(new TextDecoder().decode(msg.data)) as Reply;
  if (!reply.ok) throw new Error(`renode-manager ${verb} ${JSON.stringify(body)}: ${reply.error.code}: ${reply.error.message}`);
  return reply.device;
}

/** Whether a process with this pid exists (e.g. an MCU's QEMU; renode-manager reaps the ones it ends). */
export const processExists = (pid: number): boolean => existsSync(`/proc/${pid}`);
