import { Teardown } from './teardown';

function recordingLogger() {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  return { warnings, warn: (message: string, fields?: Record<string, unknown>) => void warnings.push({ message, fields }) };
}

describe('Teardown', () => {
  it('undoes the steps last added first, each awaited before the next', async () => {
    const logger = recordingLogger();
    const teardown = new Teardown(logger);
    const order: string[] = [];
    teardown.add(() => void order.push('nats'));
    teardown.add(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('store');
    });
    teardown.add(() => void order.push('listener'));
    await teardown.run();
    expect(order).toEqual(['listener', 'store', 'nats']);
    expect(logger.warnings).toEqual([]);
  });

  it('logs a failing step and still runs the rest', async () => {
    const logger = recordingLogger();
    const teardown = new Teardown(logger);
    const order: string[] = [];
    const failure = new Error('drain timed out');
    teardown.add(() => void order.push('first'));
    teardown.add(async () => {
      throw failure;
    });
    teardown.add(() => {
      throw new Error('sync failure');
    });
    await expect(teardown.run()).resolves.toBeUndefined();
    expect(order).toEqual(['first']);
    expect(logger.warnings.map((w) => w.message)).toEqual(['shutdown step failed', 'shutdown step failed']);
    expect(logger.warnings[1].fields).toEqual({ error: failure });
  });

  it('runs each step once however often it is called', async () => {
    const teardown = new Teardown(recordingLogger());
    let runs = 0;
    teardown.add(() => void runs++);
    const first = teardown.run();
    expect(teardown.run()).toBe(first);
    await first;
    await teardown.run();
    expect(runs).toBe(1);
  });
});
