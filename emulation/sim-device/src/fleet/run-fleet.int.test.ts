import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedGatewayPeer } from '../test-support/scripted-gateway-peer';
import { runFleet, type Fleet } from './run-fleet';

jest.setTimeout(120_000);

describe('runFleet', () => {
  let peer: ScriptedGatewayPeer;
  let fleet: Fleet | undefined;
  let keyDir: string;

  beforeEach(async () => {
    peer = await ScriptedGatewayPeer.start();
    keyDir = await mkdtemp(join(tmpdir(), 'sim-fleet-'));
  });

  afterEach(async () => {
    await fleet?.stop();
    await peer.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it('brings 50 devices with distinct identities to connected and reports it in the summary line', async () => {
    const lines: string[] = [];
    fleet = runFleet({ count: 50, gateway: peer.endpoint, ca: peer.caPem, keyDir, namePrefix: 'bench', connectConcurrency: 10, summaryIntervalMs: 100, print: (l) => lines.push(l) });
    await fleet.started;
    const summary = await fleet.waitUntil((s) => s.states.connected === 50);

    expect(summary).toEqual({ devices: 50, states: { connected: 50, enrolling: 0, connecting: 0, disconnected: 0, rejected: 0 }, appsRunning: 0 });
    expect(fleet.summaryLine()).toBe('fleet: 50 devices — 50 connected, 0 enrolling, 0 rejected; apps running 0');
    const keys = new Set(peer.connections.map((c) => c.identity?.publicKeyHex));
    expect(keys.size).toBe(50);
    expect(peer.connections.every((c) => c.violations.length === 0 && c.tlsProtocol === 'TLSv1.3')).toBe(true);
    expect((await readdir(keyDir)).sort()[0]).toBe('bench-01');
    await new Promise((r) => setTimeout(r, 250));
    expect(lines.some((l) => l.startsWith('fleet: 50 devices — '))).toBe(true);
  });
});
