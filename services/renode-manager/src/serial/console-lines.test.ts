import { consoleLevel, ConsoleLineSplitter, consoleSignal, dialingEndpoint, MAX_CONSOLE_LINE } from './console-lines';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('console line splitter', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, across chunk boundaries, dropping empty ones', () => {
    const splitter = new ConsoleLineSplitter();
    expect(splitter.push(bytes('\nwasmbed-fw 0.1.0 board=mps2'))).toEqual([]);
    expect(splitter.push(bytes('-an385\r'))).toEqual(['wasmbed-fw 0.1.0 board=mps2-an385']);
    expect(splitter.push(bytes('\nready in 270 ms\r\n\r\n> ping\recho: ping\r\n> '))).toEqual(['ready in 270 ms', '> ping', 'echo: ping']);
    expect(splitter.flush()).toEqual(['>']);
    expect(splitter.flush()).toEqual([]);
  });

  it('removes control characters (not tabs) and trailing blanks, keeping latin1 bytes', () => {
    const splitter = new ConsoleLineSplitter();
    expect(splitter.push(Uint8Array.from([0x1b, 0x5b, 0x32, 0x4a, 0x61, 0x09, 0x62, 0x07, 0xe9, 0x20, 0x20, 0x0a]))).toEqual(['[2Ja\tb\u00e9']);
  });

  it('cuts a line longer than a log message into pieces', () => {
    const splitter = new ConsoleLineSplitter();
    const lines = splitter.push(bytes('x'.repeat(MAX_CONSOLE_LINE * 2 + 10)));
    expect(lines).toEqual(['x'.repeat(MAX_CONSOLE_LINE), 'x'.repeat(MAX_CONSOLE_LINE)]);
    expect(splitter.push(bytes('y\n'))).toEqual(['x'.repeat(10) + 'y']);
  });
});

describe('console signals and levels', () => {
  it('treats a firmware fault as a crash worth a restart, and a provisioning error as permanent', () => {
    expect(consoleSignal('FAULT cortex-m fault: pc=0x1234 lr=0x5678 cfsr=0x1 hfsr=0x0 bfar=0x0')).toEqual({
      kind: 'fault',
      permanent: false,
      reason: 'firmware halted: FAULT cortex-m fault: pc=0x1234 lr=0x5678 cfsr=0x1 hfsr=0x0 bfar=0x0',
    });
    expect(consoleSignal('PROVISIONING ERROR: identity block CRC-32 mismatch')).toMatchObject({ permanent: true });
    // The shell's prompt may come first on the line.
    expect(consoleSignal('> FAULT risc-v trap: mcause=0x2')).toEqual({ kind: 'fault', permanent: false, reason: 'firmware halted: FAULT risc-v trap: mcause=0x2' });
    expect(consoleLevel('> FAULT risc-v trap: mcause=0x2')).toBe('error');
    expect(consoleSignal('echo: FAULT ')).toBeUndefined();
    expect(consoleSignal('ready in 270 ms; commands: help')).toBeUndefined();
  });

  it('publishes failures as errors and offline notes as warnings', () => {
    expect(consoleLevel('FAULT risc-v trap: mcause=0x2')).toBe('error');
    expect(consoleLevel('tls: FAILED handshake: gateway certificate is not issued by the provisioned platform CA (wolfSSL -188)')).toBe('error');
    expect(consoleLevel('tls: offline: no platform CA provisioned (trust block at +0xb00)')).toBe('warn');
    expect(consoleLevel('gateway: Welcome #1 (corr 1) deviceId=emu-1 gatewayId=gateway-1 heartbeatIntervalMs=30000')).toBe('info');
  });
});

describe('the dialing line', () => {
  it("reads the endpoint of the firmware's `agent: dialing <host:port>` line, and nothing else", () => {
    expect(dialingEndpoint('agent: dialing localhost:41103')).toBe('localhost:41103');
    expect(dialingEndpoint('agent: dialing [::1]:4423')).toBe('[::1]:4423');
    // After the shell's prompt, as QEMU's console shows it after boot.
    expect(dialingEndpoint('> agent: dialing localhost:45449')).toBe('localhost:45449');
    expect(dialingEndpoint('>> agent: dialing localhost:45449')).toBeUndefined();
    // Whatever it says is returned as text for the routes to judge; a line with more in it is not the milestone.
    expect(dialingEndpoint('agent: dialing $(reboot):1')).toBe('$(reboot):1');
    expect(dialingEndpoint('agent: dialing a:1 b:2')).toBeUndefined();
    expect(dialingEndpoint('echo: agent: dialing evil:1')).toBeUndefined();
    expect(dialingEndpoint('agent: session ended: bye rebalance; next attempt in 0 ms at gw-2:4423')).toBeUndefined();
    expect(dialingEndpoint('agent: dialing ')).toBeUndefined();
  });
});
