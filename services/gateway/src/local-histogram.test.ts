import { Histogram, Registry } from 'prom-client';
import { LocalHistogram } from './local-histogram';
import { GatewayMetrics } from './metrics';

const BUCKETS = [0.001, 0.01, 0.1, 1];

describe('LocalHistogram', () => {
  it('exposes exactly what prom-client’s Histogram exposes for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const local = new LocalHistogram('h_seconds', 'help text', BUCKETS, ours);
    const reference = new Histogram({ name: 'h_seconds', help: 'help text', buckets: BUCKETS, registers: [theirs] });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    for (const v of [0, 0.0005, 0.001, 0.002, 0.01, 0.5, 1, 3, 0.05]) {
      local.observe(v);
      reference.observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(local.count).toBe(9);
    local.reset();
    reference.reset();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});

describe('GatewayMetrics frame counts', () => {
  it('are reported by direction when the registry is read, and keep adding up', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.countFrame('in');
    metrics.countFrame('in');
    metrics.countFrame('out');
    const first = await metrics.registry.metrics();
    expect(first).toContain('wasmbed_gateway_frames_total{direction="in"} 2');
    expect(first).toContain('wasmbed_gateway_frames_total{direction="out"} 1');
    metrics.countFrame('in');
    expect(await metrics.registry.metrics()).toContain('wasmbed_gateway_frames_total{direction="in"} 3');
  });
});
