import { sendJson } from './http-json';
import { serveHttp } from './http-service';
import { probeRoutes, requestPath, serveProbes, type Readiness } from './probe-routes';

const silent = { error: () => undefined };

/** A registry-like source whose text and readiness the test changes. */
function sources() {
  const state = { readiness: { ready: false, checks: { nats: 'connecting' } } as Readiness, metricsText: '# metrics\nup 1\n', statusCalls: 0, failMetrics: false };
  return {
    state,
    sources: {
      readiness: () => state.readiness,
      metrics: {
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        metrics: async () => {
          if (state.failMetrics) throw new Error('collector broke');
          return state.metricsText;
        },
      },
      status: () => ({ calls: (state.statusCalls += 1) }),
    },
  };
}

describe('serveProbes (real sockets)', () => {
  const { state, sources: s } = sources();
  const service = serveProbes(s, silent);
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await service.listen('127.0.0.1', 0)}`;
  });
  afterAll(() => service.close());

  it('answers /healthz with 200 ok whatever the readiness', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 and the checks until ready, then 200', async () => {
    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'not_ready', checks: { nats: 'connecting' } });
    state.readiness = { ready: true, checks: { nats: 'connected' } };
    const after = await fetch(`${base}/readyz?verbose=1`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready', checks: { nats: 'connected' } });
  });

  it("answers /metrics with the registry's text and content type", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe('# metrics\nup 1\n');
  });

  it('answers a failing metrics collector with a 500, not a torn 200', async () => {
    state.failMetrics = true;
    try {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('internal');
    } finally {
      state.failMetrics = false;
    }
  });

  it('renders /status afresh on each request', async () => {
    const first = (await (await fetch(`${base}/status`)).json()) as { calls: number };
    const second = (await (await fetch(`${base}/status`)).json()) as { calls: number };
    expect(second.calls).toBe(first.calls + 1);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses another method on a probe path with 405 and allow', async () => {
    const res = await fetch(`${base}/status`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toEqual({ error: { code: 'method_not_allowed', message: 'POST is not allowed on /status' } });
  });

  it('answers any other path with 404, whatever the method', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${base}/healthz/extra`, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for /healthz/extra' } });
    }
  });
});

describe('probeRoutes beside a service’s own routes', () => {
  const { sources: s } = sources();
  const probes = probeRoutes(s);
  const service = serveHttp(async (req, res) => {
    const path = requestPath(req);
    if (await probes(req, res, path)) return;
    if (path === '/api/thing') return sendJson(res, 201, { made: true });
    sendJson(res, 418, { fallthrough: path });
  }, silent);
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await service.listen('127.0.0.1', 0)}`;
  });
  afterAll(() => service.close());

  it('answers the probes and leaves every other path to the service', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/api/thing`, { method: 'POST' })).status).toBe(201);
    const other = await fetch(`${base}/nothing`);
    expect(other.status).toBe(418);
    expect(await other.json()).toEqual({ fallthrough: '/nothing' });
  });
});
