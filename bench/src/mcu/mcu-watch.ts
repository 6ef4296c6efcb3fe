/**
 * What one emulated MCU does, timed as the platform sees it: console milestones
 * (renode-manager publishes the console on the device's log subject), its DeployResults
 * (the gateway relays them on its status subject), and read-model states polled
 * through the api.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeDeviceLog, decodeDeviceStatus, deviceLogSubject, deviceStatusSubject, type DeployResultStatus } from '@wasmbed/device-bus';
import { call } from '@wasmbed/testing';
import type { DeviceServiceClient, GetDeviceResponse } from '@wasmbed/proto';
import { sleep } from '../support/sleep';

/** Console lines timed from the firmware (docs: firmware/README.md). */
export const CONSOLE_MILESTONES = {
  banner: /^wasmbed-fw \S+ board=/,
  ready: /^ready in \d+ ms/,
  tls: /^tls: handshake ok\b/,
  welcome: /^agent: welcome\b|^gateway: Welcome\b/,
} as const;
export type Milestone = keyof typeof CONSOLE_MILESTONES;

export class McuWatch {
  /** performance.now() when each milestone's first line arrived. */
  readonly seen = new Map<Milestone, number>();
  readonly deployResults: { readonly at: number; readonly result: DeployResultStatus }[] = [];
  private readonly subs: Subscription[];

  constructor(nc: NatsConnection, readonly name: string) {
    this.subs = [
      nc.subscribe(deviceLogSubject(name), {
        callback: (_err, msg) => {
          const at = performance.now();
          const line = decodeDeviceLog(msg.data);
          if (line.appId !== 'emu.console') return;
          for (const [milestone, pattern] of Object.entries(CONSOLE_MILESTONES) as [Milestone, RegExp][]) {
            if (!this.seen.has(milestone) && pattern.test(line.message)) this.seen.set(milestone, at);
          }
        },
      }),
      nc.subscribe(deviceStatusSubject(name), {
        callback: (_err, msg) => {
          const status = decodeDeviceStatus(msg.data);
          if (status.type === 'DeployResult') this.deployResults.push({ at: performance.now(), result: status });
        },
      }),
    ];
  }

  deployResult(appId: string): { readonly at: number; readonly result: DeployResultStatus } | undefined {
    return this.deployResults.find((r) => r.result.appId === appId);
  }

  close(): void {
    this.subs.forEach((s) => s.unsubscribe());
  }
}

/** Polls `probe` every `intervalMs` until it returns true; the performance.now() it did, or throws after `timeoutMs`. */
export async function pollUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 20): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await probe()) return performance.now();
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The device's phase in the api read model (0 while unknown). */
export async function devicePhase(devices: DeviceServiceClient, name: string): Promise<number> {
  try {
    return (await call<GetDeviceResponse>((done) => devices.getDevice({ name }, done))).device?.phase ?? 0;
  } catch {
    return 0;
  }
}
