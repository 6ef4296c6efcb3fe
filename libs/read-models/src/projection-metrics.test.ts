import { Registry } from 'prom-client';
import { ProjectionMetrics } from './projection-metrics';

describe('ProjectionMetrics', () => {
  it('lets several projections share one registry', async () => {
    const registry = new Registry();
    const phases = new ProjectionMetrics(registry, 'phases');
    const apps = new ProjectionMetrics(registry, 'apps');
    phases.progress('fleet', 10, 2);
    apps.progress('apps', 4, 0);
    phases.applied(3, 0.004, 1);
    phases.failed();
    const text = await registry.metrics();
    expect(text).toContain('wasmbed_projection_checkpoint{projection="phases",context="fleet"} 10');
    expect(text).toContain('wasmbed_projection_checkpoint{projection="apps",context="apps"} 4');
    expect(text).toContain('wasmbed_projection_lag_events{projection="phases",context="fleet"} 2');
    expect(text).toContain('wasmbed_projection_events_total{projection="phases"} 3');
    expect(text).toContain('wasmbed_projection_events_total{projection="apps"} 0');
    expect(text).toContain('wasmbed_projection_errors_total{projection="phases"} 1');
    expect(text).toContain('wasmbed_projection_skipped_writes_total{projection="phases"} 1');
    expect(text).toContain('wasmbed_projection_lag_seconds_bucket{le="0.005",projection="phases"} 3');
    expect(text).toContain('wasmbed_projection_lag_seconds_bucket{le="0.002",projection="phases"} 0');
    expect(text).toContain('wasmbed_projection_lag_seconds_count{projection="phases"} 3');
  });
});
