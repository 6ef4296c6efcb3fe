import { ConfigError } from '@wasmbed/errors';
import { runService, type RunningService, type ServiceProcess, type ServiceSpec } from './run-service';

/** Stands in for Node's process: records exits and stderr, lets the test send signals. */
class FakeProcess implements ServiceProcess {
  readonly exits: number[] = [];
  readonly errText: string[] = [];
  private readonly handlers = new Map<string, () => void>();
  private exited?: (code: number) => void;
  readonly stderr = { write: (text: string) => this.errText.push(text) };

  exit(code: number): void {
    this.exits.push(code);
    this.exited?.(code);
  }

  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): void {
    this.handlers.set(signal, () => {
      this.handlers.delete(signal);
      listener();
    });
  }

  /** Sends the signal and waits for the exit it leads to. */
  signal(name: 'SIGTERM' | 'SIGINT'): Promise<number> {
    const exited = new Promise<number>((resolve) => (this.exited = resolve));
    const handler = this.handlers.get(name);
    if (handler === undefined) throw new Error(`no ${name} handler`);
    handler();
    return exited;
  }

  listening(): string[] {
    return [...this.handlers.keys()];
  }
}

interface Logged {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function spec(overrides: Partial<ServiceSpec<{ level: string }, ReturnType<typeof logger>>> = {}) {
  const logged: Logged[] = [];
  return {
    logged,
    spec: {
      name: 'demo',
      loadConfig: () => ({ level: 'info' }),
      createLogger: () => logger(logged),
      start: async (): Promise<RunningService> => ({ stop: async () => undefined }),
      ...overrides,
    },
  };
}

function logger(logged: Logged[]) {
  return {
    info: (message: string, fields?: Record<string, unknown>) => void logged.push({ level: 'info', message, fields }),
    error: (message: string, fields?: Record<string, unknown>) => void logged.push({ level: 'error', message, fields }),
  };
}

describe('runService', () => {
  it('exits 2 with the message alone on a bad configuration, without starting', async () => {
    const proc = new FakeProcess();
    const start = jest.fn();
    const { spec: s } = spec({
      loadConfig: () => {
        throw new ConfigError('invalid demo configuration:\n  DEMO_ADDR must be host:port');
      },
      start,
    });
    await runService(s, proc);
    expect(proc.exits).toEqual([2]);
    expect(proc.errText).toEqual(['invalid demo configuration:\n  DEMO_ADDR must be host:port\n']);
    expect(start).not.toHaveBeenCalled();
    expect(proc.listening()).toEqual([]);
  });

  it('exits 2 when starting finds a configuration problem (unreadable certificate, say)', async () => {
    const proc = new FakeProcess();
    const { spec: s } = spec({ start: async () => Promise.reject(new ConfigError("cannot read the gateway's certificate")) });
    await runService(s, proc);
    expect(proc.exits).toEqual([2]);
    expect(proc.errText).toEqual(["cannot read the gateway's certificate\n"]);
  });

  it('exits 1 with the stack on any other start failure', async () => {
    const proc = new FakeProcess();
    const { spec: s } = spec({ start: async () => Promise.reject(new Error('nats unreachable')) });
    await runService(s, proc);
    expect(proc.exits).toEqual([1]);
    expect(proc.errText).toHaveLength(1);
    expect(proc.errText[0]).toMatch(/^demo failed to start: Error: nats unreachable\n\s+at /);
    expect(proc.listening()).toEqual([]);
  });

  it('hands the configuration to the logger and to start, then stops gracefully on SIGTERM with exit 0', async () => {
    const proc = new FakeProcess();
    const stop = jest.fn(async () => undefined);
    const start = jest.fn(async (): Promise<RunningService> => ({ stop }));
    const { spec: s, logged } = spec({ loadConfig: () => ({ level: 'debug' }), start });
    const createLogger = jest.fn(s.createLogger);
    await runService({ ...s, createLogger }, proc);
    expect(createLogger).toHaveBeenCalledWith({ level: 'debug' });
    expect(start).toHaveBeenCalledWith({ level: 'debug' }, createLogger.mock.results[0].value);
    expect(proc.exits).toEqual([]);
    expect(proc.listening().sort()).toEqual(['SIGINT', 'SIGTERM']);
    await expect(proc.signal('SIGTERM')).resolves.toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(logged).toEqual([{ level: 'info', message: 'shutting down', fields: { signal: 'SIGTERM' } }]);
  });

  it('exits 1 and logs when the graceful stop fails', async () => {
    const proc = new FakeProcess();
    const failure = new Error('drain failed');
    const { spec: s, logged } = spec({ start: async () => ({ stop: () => Promise.reject(failure) }) });
    await runService(s, proc);
    await expect(proc.signal('SIGINT')).resolves.toBe(1);
    expect(logged).toEqual([
      { level: 'info', message: 'shutting down', fields: { signal: 'SIGINT' } },
      { level: 'error', message: 'shutdown failed', fields: { error: failure } },
    ]);
  });
});
