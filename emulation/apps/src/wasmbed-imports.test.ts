import {
  AppStopRequested,
  HOST_FUNCTION_NAMES,
  HostTrap,
  LOG_MAX_BYTES,
  SENSOR_UNAVAILABLE,
  createWasmbedImports,
  type LogRecord,
  type WasmbedHostHooks,
} from './index';

function setup(config: Record<string, string> = {}, overrides: Partial<WasmbedHostHooks> = {}) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const bytes = new Uint8Array(memory.buffer);
  const logs: LogRecord[] = [];
  const { wasmbed } = createWasmbedImports(
    { current: memory },
    {
      log: (r) => logs.push(r),
      nowMs: () => 1234.9,
      sleepMs: () => undefined,
      config: (key) => config[key],
      sensorRead: (channel) => channel * 1000,
      randomU32: () => 0xffff_fffe,
      ...overrides,
    },
  );
  const put = (at: number, data: string | number[]) => {
    const encoded = typeof data === 'string' ? new TextEncoder().encode(data) : Uint8Array.from(data);
    bytes.set(encoded, at);
    return encoded.length;
  };
  return { wasmbed, memory, bytes, logs, put };
}

describe('createWasmbedImports', () => {
  it('provides exactly the functions of ABI v1', () => {
    expect(Object.keys(setup().wasmbed).sort()).toEqual([...HOST_FUNCTION_NAMES].sort());
  });

  describe('log', () => {
    it('decodes UTF-8 at the given level', () => {
      const { wasmbed, logs, put } = setup();
      const len = put(100, 'température 21 °C');
      wasmbed.log(0, 100, len);
      wasmbed.log(3, 100, 0);
      expect(logs).toEqual([
        { level: 'debug', message: 'température 21 °C', truncated: false },
        { level: 'error', message: '', truncated: false },
      ]);
    });

    it('traps on a level outside 0..3', () => {
      const { wasmbed } = setup();
      expect(() => wasmbed.log(4, 0, 0)).toThrow(HostTrap);
      expect(() => wasmbed.log(-1, 0, 0)).toThrow('log: level -1 is not 0..3');
    });

    it('keeps 1 KiB, dropping a character the cut splits, and flags the truncation', () => {
      const { wasmbed, logs, put } = setup();
      // 1023 ASCII bytes, then "é" (2 bytes) straddling the limit.
      const len = put(0, 'a'.repeat(LOG_MAX_BYTES - 1) + 'é' + 'tail');
      wasmbed.log(1, 0, len);
      expect(logs[0]).toEqual({ level: 'info', message: 'a'.repeat(LOG_MAX_BYTES - 1), truncated: true });
      const exact = put(2000, 'b'.repeat(LOG_MAX_BYTES));
      wasmbed.log(1, 2000, exact);
      expect(logs[1]).toEqual({ level: 'info', message: 'b'.repeat(LOG_MAX_BYTES), truncated: false });
    });

    it('replaces invalid UTF-8 with U+FFFD and keeps a byte-order mark', () => {
      const { wasmbed, logs, put } = setup();
      const len = put(0, [0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62]);
      wasmbed.log(1, 0, len);
      expect(logs[0].message).toBe('\ufeffa\ufffdb');
    });

    it('traps on a range past the end of memory, pointers being unsigned', () => {
      const { wasmbed } = setup();
      expect(() => wasmbed.log(1, 65_535, 2)).toThrow('log: range [65535, 65537) is outside memory of 65536 bytes');
      expect(() => wasmbed.log(1, -1, 1)).toThrow(HostTrap);
      expect(() => wasmbed.log(1, 0, -1)).toThrow(HostTrap);
      expect(() => wasmbed.log(1, 65_536, 0)).not.toThrow();
    });

    it('sees memory grown after the imports were created', () => {
      const { wasmbed, memory, logs } = setup();
      memory.grow(1);
      new Uint8Array(memory.buffer).set([0x6f, 0x6b], 70_000);
      wasmbed.log(1, 70_000, 2);
      expect(logs[0].message).toBe('ok');
    });

    it('traps before the memory is known', () => {
      const { wasmbed } = createWasmbedImports({ current: null }, {} as WasmbedHostHooks);
      expect(() => wasmbed.log(1, 0, 0)).toThrow('log: memory is not available yet');
    });
  });

  describe('config_get', () => {
    it('writes the value without a terminator and returns its length in bytes', () => {
      const { wasmbed, bytes, put } = setup({ greeting: 'Grüß' });
      bytes.fill(0xaa, 200, 216);
      const keyLen = put(100, 'greeting');
      expect(wasmbed.config_get(100, keyLen, 200, 16)).toBe(6);
      expect([...bytes.subarray(200, 207)]).toEqual([0x47, 0x72, 0xc3, 0xbc, 0xc3, 0x9f, 0xaa]);
    });

    it('returns -1 for a missing key and -2 for a buffer one byte too small, writing nothing', () => {
      const { wasmbed, bytes, put } = setup({ greeting: 'hello', empty: '' });
      bytes.fill(0xaa, 200, 216);
      expect(wasmbed.config_get(100, put(100, 'nope'), 200, 16)).toBe(-1);
      expect(wasmbed.config_get(100, put(100, 'greeting'), 200, 4)).toBe(-2);
      expect([...bytes.subarray(200, 216)]).toEqual(new Array(16).fill(0xaa));
      expect(wasmbed.config_get(100, put(100, 'greeting'), 200, 5)).toBe(5);
      expect(wasmbed.config_get(100, put(100, 'empty'), 300, 0)).toBe(0);
    });

    it('matches keys exactly; a key that is not UTF-8 is missing', () => {
      const { wasmbed, put } = setup({ Greeting: 'x' });
      expect(wasmbed.config_get(100, put(100, 'greeting'), 200, 16)).toBe(-1);
      expect(wasmbed.config_get(100, put(100, [0xff]), 200, 16)).toBe(-1);
    });

    it('checks both ranges before looking the key up', () => {
      const { wasmbed, put } = setup({});
      const keyLen = put(100, 'nope');
      expect(() => wasmbed.config_get(100, keyLen, 65_530, 16)).toThrow(HostTrap);
      expect(() => wasmbed.config_get(65_530, 16, 0, 0)).toThrow(HostTrap);
    });
  });

  it('now_ms returns whole milliseconds as a BigInt (i64)', () => {
    expect(setup().wasmbed.now_ms()).toBe(1234n);
  });

  it('sleep_ms passes non-negative durations on and traps on negative ones', () => {
    const slept: number[] = [];
    const { wasmbed } = setup({}, { sleepMs: (ms) => void slept.push(ms) });
    wasmbed.sleep_ms(0);
    wasmbed.sleep_ms(2_147_483_647);
    expect(() => wasmbed.sleep_ms(-1)).toThrow('sleep_ms: negative duration -1');
    expect(slept).toEqual([0, 2_147_483_647]);
  });

  it('lets a hook end the app by throwing', () => {
    const { wasmbed } = setup({}, { sleepMs: () => { throw new AppStopRequested(); } });
    expect(() => wasmbed.sleep_ms(5)).toThrow(AppStopRequested);
  });

  it('sensor_read returns the hook value as an i32, saturating', () => {
    const values = [1.9, 3e9, -3e9, SENSOR_UNAVAILABLE];
    const { wasmbed } = setup({}, { sensorRead: (c) => values[c] });
    expect(values.map((_v, c) => wasmbed.sensor_read(c))).toEqual([1, 2_147_483_647, -2_147_483_648, -2_147_483_648]);
  });

  it('random_u32 hands 32 bits to WebAssembly as a signed i32', () => {
    expect(setup().wasmbed.random_u32()).toBe(-2);
  });
});
