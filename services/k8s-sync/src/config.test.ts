import { ConfigError } from '@wasmbed/errors';
import { loadK8sSyncConfig } from './config';

const kubeconfig = __filename; // any existing file
const base = { WASMBED_KUBECONFIG: kubeconfig, WASMBED_API_TOKEN: 'secret' };

describe('loadK8sSyncConfig', () => {
  it('fills in the defaults', () => {
    const config = loadK8sSyncConfig(base);
    expect(config).toMatchObject({
      kube: { kubeconfigPath: kubeconfig },
      namespace: 'wasmbed',
      api: { address: '127.0.0.1:50051', token: 'secret', timeoutMs: 10_000 },
      http: { host: '127.0.0.1', port: 8093 },
      statusMinIntervalMs: 5_000,
      statusMaxInFlight: 8,
      workers: 4,
      lease: { name: 'wasmbed-k8s-sync', durationMs: 15_000, renewIntervalMs: 5_000 },
      resyncMs: 300_000,
      logLevel: 'info',
    });
    expect(config.identity).toMatch(/-\d+$/);
    expect(config.api.caPath).toBeUndefined();
  });

  it('runs in-cluster without a kubeconfig when in a pod', () => {
    expect(loadK8sSyncConfig({ WASMBED_API_TOKEN: 't', KUBERNETES_SERVICE_HOST: '10.96.0.1' }).kube).toEqual({ inCluster: true });
  });

  it('refuses to start without Kubernetes, saying the rest of the stack does not need it', () => {
    expect(() => loadK8sSyncConfig({ WASMBED_API_TOKEN: 't' })).toThrow(ConfigError);
    expect(() => loadK8sSyncConfig({ WASMBED_API_TOKEN: 't' })).toThrow(/WASMBED_KUBECONFIG is not set .*the rest of the stack runs without Kubernetes/);
  });

  it('lists every problem at once', () => {
    const attempt = () =>
      loadK8sSyncConfig({
        WASMBED_KUBECONFIG: '/nonexistent/kubeconfig',
        WASMBED_K8S_NAMESPACE: 'Not_A_Namespace',
        WASMBED_API_GRPC: 'no-port',
        WASMBED_K8S_SYNC_PORT: '70000',
        WASMBED_K8S_LEASE_RENEW_MS: '10000',
      });
    expect(attempt).toThrow(ConfigError);
    let message = '';
    try {
      attempt();
    } catch (err) {
      message = (err as Error).message;
    }
    for (const problem of [
      'WASMBED_KUBECONFIG file not found',
      'WASMBED_K8S_NAMESPACE must be a namespace name',
      'WASMBED_API_GRPC must be host:port',
      'WASMBED_API_TOKEN is required',
      'WASMBED_K8S_SYNC_PORT',
    ]) {
      expect(message).toContain(problem);
    }
  });

  it('takes the number of workers and status writes in flight, refusing 0', () => {
    expect(loadK8sSyncConfig({ ...base, WASMBED_K8S_SYNC_WORKERS: '32', WASMBED_K8S_STATUS_MAX_IN_FLIGHT: '4' })).toMatchObject({ workers: 32, statusMaxInFlight: 4 });
    expect(() => loadK8sSyncConfig({ ...base, WASMBED_K8S_SYNC_WORKERS: '0' })).toThrow(/WASMBED_K8S_SYNC_WORKERS/);
    expect(() => loadK8sSyncConfig({ ...base, WASMBED_K8S_STATUS_MAX_IN_FLIGHT: '1.5' })).toThrow(/WASMBED_K8S_STATUS_MAX_IN_FLIGHT/);
  });

  it('keeps the lease renewal at most half the lease', () => {
    expect(() => loadK8sSyncConfig({ ...base, WASMBED_K8S_LEASE_DURATION_MS: '4000', WASMBED_K8S_LEASE_RENEW_MS: '3000' })).toThrow(/WASMBED_K8S_LEASE_RENEW_MS must be at most half/);
    expect(loadK8sSyncConfig({ ...base, WASMBED_K8S_LEASE_DURATION_MS: '4000', WASMBED_K8S_LEASE_RENEW_MS: '2000' }).lease).toEqual({ name: 'wasmbed-k8s-sync', durationMs: 4_000, renewIntervalMs: 2_000 });
  });
});
