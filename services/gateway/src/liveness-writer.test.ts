import type { LivenessRecord } from '@wasmbed/device-bus';
import { LivenessWriter } from './liveness-writer';

const record = (heartbeatSeq: number): LivenessRecord => ({
  deviceId: 'd',
  gatewayId: 'g',
  sessionId: 's',
  connectedAt: '2025-01-01T00:00:00.000Z',
  lastHeartbeatAt: '2025-01-01T00:00:00.000Z',
  heartbeatSeq,
  uptimeMs: 0,
  freeMemoryBytes: 0,
  apps: [],
});

describe('liveness writer', () => {
  it('keeps one write in flight and collapses the ones behind it into the newest', async () => {
    const written: number[] = [];
    const gates: (() => void)[] = [];
    const writer = new LivenessWriter({
      put: (r: LivenessRecord) =>
        new Promise<number>((resolve) =>
          gates.push(() => {
            written.push(r.heartbeatSeq);
            resolve(written.length);
          }),
        ),
    });
    const first = writer.write(record(1));
    const second = writer.write(record(2));
    const third = writer.write(record(3));
    gates.shift()!();
    await first;
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await Promise.all([second, third]);
    expect(written).toEqual([1, 3]);
    expect(gates).toHaveLength(0);
    await writer.idle();
  });

  it('reports a failed write to its caller and goes on', async () => {
    let fail = true;
    const writer = new LivenessWriter({
      put: async () => {
        if (fail) throw new Error('kv down');
        return 1;
      },
    });
    await expect(writer.write(record(1))).rejects.toThrow('kv down');
    fail = false;
    await expect(writer.write(record(2))).resolves.toBeUndefined();
  });
});
