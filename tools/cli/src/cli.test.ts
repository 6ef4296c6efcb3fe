import { runCli } from './cli';
import { captureIo } from './test-support/capture-io';

// Only what fails or answers before any connection or file is touched.
describe('runCli', () => {
  it('prints help for no arguments, help and --help (exit 0)', async () => {
    for (const argv of [[], ['help'], ['--help']]) {
      const io = captureIo();
      await expect(runCli(argv, io)).resolves.toBe(0);
      expect(io.out()).toContain('usage: wasmbed <command>');
      expect(io.out()).toContain('app status');
    }
  });

  it('prints a command help with its flags and the global ones', async () => {
    const io = captureIo();
    await expect(runCli(['app', 'create', '--help'], io)).resolves.toBe(0);
    expect(io.out()).toContain('usage: wasmbed app create NAME --wasm FILE --key FILE');
    expect(io.out()).toContain('--memory SIZE');
    expect(io.out()).toContain('--token-file FILE');
    const viaHelp = captureIo();
    await expect(runCli(['help', 'app', 'create'], viaHelp)).resolves.toBe(0);
    expect(viaHelp.out()).toBe(io.out());
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['--verbose', 'device', 'list'], 'unknown flag --verbose'],
    [['device'], "'wasmbed device' needs a command: list, show, register"],
    [['device', 'explode'], "unknown command 'device explode'"],
    [['device', 'list', '--colour'], 'unknown flag --colour'],
    [['device', 'show'], 'missing argument: wasmbed device show NAME'],
    [['device', 'show', 'a', 'b'], "unexpected argument 'b'"],
    [['app', 'create', 'x', '--memory', 'lots', '--all'], '--memory: expected a size'],
    [['pairing', 'on', '--duration', '2h'], '--duration: must be from 1s to 1h'],
    [['logs', '--tail', 'many'], '--tail: expected a whole number'],
    [['device', 'list', '--phase', 'sleeping'], '--phase: expected one of pending, enrolling, enrolled, connected'],
    [['device', 'list', '--timeout', 'soon'], '--timeout: expected a duration'],
  ])('%j is a usage error (exit 2): %s', async (argv, message) => {
    const io = captureIo();
    await expect(runCli(argv, io)).resolves.toBe(2);
    expect(io.err()).toContain(`wasmbed: ${message}`);
    expect(io.err()).toContain('--help');
    expect(io.out()).toBe('');
  });

  it('accepts global flags before the command', async () => {
    const io = captureIo();
    await expect(runCli(['--api', '127.0.0.1:1', '--json', 'device', 'list', '--bogus'], io)).resolves.toBe(2);
    expect(JSON.parse(io.err())).toEqual({ error: { code: 'invalid_argument', name: 'UsageError', message: 'unknown flag --bogus' } });
  });

  it('wants --client-cert and --client-key together, before reading either', async () => {
    const io = captureIo();
    await expect(runCli(['--client-cert', 'client.crt', 'device', 'list'], io)).resolves.toBe(2);
    expect(io.err()).toContain('wasmbed: --client-cert and --client-key go together');
  });
});
