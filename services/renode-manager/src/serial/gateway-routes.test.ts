import { GatewayRoutes } from './gateway-routes';

describe('gateway routes (where a bridge follows a device that dials an endpoint)', () => {
  const routes = new GatewayRoutes('gw-1.wasmbed.test:4423', { host: '10.0.0.5', port: 4423 }, ['gw-2.wasmbed.test:4423', '127.0.0.1:5000', '[::1]:4424']);

  it('sends the provisioned endpoint to the configured bridge target, whatever its case', () => {
    expect(routes.route('gw-1.wasmbed.test:4423')).toEqual({ ok: true, target: { host: '10.0.0.5', port: 4423 } });
    expect(routes.route('GW-1.Wasmbed.Test:4423')).toEqual({ ok: true, target: { host: '10.0.0.5', port: 4423 } });
  });

  it('connects to an allowed endpoint as written', () => {
    expect(routes.route('GW-2.wasmbed.test:4423')).toEqual({ ok: true, target: { host: 'gw-2.wasmbed.test', port: 4423 } });
    expect(routes.route('127.0.0.1:5000')).toEqual({ ok: true, target: { host: '127.0.0.1', port: 5000 } });
    expect(routes.route('[::1]:4424')).toEqual({ ok: true, target: { host: '::1', port: 4424 } });
  });

  it('refuses endpoints not on the list: another port, another name for an allowed address', () => {
    for (const endpoint of ['gw-2.wasmbed.test:4424', 'gw-3.wasmbed.test:4423', 'localhost:5000', '10.0.0.5:4423']) {
      expect(routes.route(endpoint)).toEqual({ ok: false, reason: 'not an allowed gateway endpoint (WASMBED_EMU_GATEWAY_ALLOW)' });
    }
  });

  it('refuses anything that is not a plain host:port, before looking at the list', () => {
    const tricky = new GatewayRoutes('gw:1', { host: '127.0.0.1', port: 1 }, ['evil:1']);
    for (const endpoint of ['$(reboot):1', 'evil:1;rm', 'evil', 'evil:0', 'evil:65536', 'user@evil:1', 'evil:1/x', `${'a'.repeat(300)}:1`, '[::1:1', 'evil :1']) {
      expect(tricky.route(endpoint)).toEqual({ ok: false, reason: 'not a host:port endpoint' });
    }
  });

  it('lists its endpoints, the provisioned one first', () => {
    expect(routes.endpoints).toEqual(['gw-1.wasmbed.test:4423', 'gw-2.wasmbed.test:4423', '127.0.0.1:5000', '[::1]:4424']);
    expect(new GatewayRoutes('gw:1', { host: 'gw', port: 1 }, ['GW:1']).endpoints).toEqual(['gw:1']);
  });
});
