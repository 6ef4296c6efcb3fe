import { ReplyWaiters } from './reply-waiters';

describe('reply waiters', () => {
  it('settles a waiter with the device answer', async () => {
    const waiters = new ReplyWaiters();
    const reply = waiters.wait('deploy:a', 10_000, () => ({ ok: false, error: { code: 'unavailable', message: 'late' } }));
    expect(waiters.settle('deploy:a', { ok: true })).toBe(true);
    expect(await reply).toEqual({ ok: true });
    expect(waiters.settle('deploy:a', { ok: true })).toBe(false);
  });

  it('answers with the timeout reply when the device stays silent', async () => {
    const waiters = new ReplyWaiters();
    const reply = await waiters.wait('stop:a', 5, () => ({ ok: false, error: { code: 'unavailable', message: 'late' } }));
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', message: 'late' } });
    expect(waiters.has('stop:a')).toBe(false);
  });

  it('supersedes an older waiter of the same key and settles all at the end', async () => {
    const waiters = new ReplyWaiters();
    const timeout = () => ({ ok: false as const, error: { code: 'unavailable' as const, message: 'late' } });
    const older = waiters.wait('stop:a', 10_000, timeout);
    const newer = waiters.wait('stop:a', 10_000, timeout);
    const other = waiters.wait('stop:b', 10_000, timeout);
    expect(await older).toMatchObject({ ok: false, error: { code: 'conflict' } });
    waiters.settleAll({ ok: false, error: { code: 'unavailable', message: 'closed' } });
    expect(await newer).toMatchObject({ error: { message: 'closed' } });
    expect(await other).toMatchObject({ error: { message: 'closed' } });
  });
});
