import { ValidationError } from '@wasmbed/errors';
import { sendJson } from './http-json';
import { serveHttp } from './http-service';

describe('serveHttp (real sockets)', () => {
  const logged: unknown[] = [];
  const service = serveHttp(async (req, res) => {
    if (req.url === '/ok') return sendJson(res, 200, { ok: true });
    if (req.url === '/typed') throw new ValidationError('name is required', ['name']);
    throw new Error('database password is hunter2');
  }, { error: (msg: string, fields?: Record<string, unknown>) => void logged.push({ msg, fields }) });
  let base = '';

  beforeAll(async () => {
    base = `http://127.0.0.1:${await service.listen('127.0.0.1', 0)}`;
  });
  afterAll(() => service.close());

  it('answers what the handler sends', async () => {
    const res = await fetch(`${base}/ok`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('maps a typed error to its status and message', async () => {
    const res = await fetch(`${base}/typed`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_argument', message: 'name is required' } });
  });

  it('answers any other error with 500 and a reference only; the details go to the log', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^internal error \(ref [0-9a-f-]{36}\)$/);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
  });
});
