import { FRAMES_DEFAULTS, parseFramesOptions } from './options';

describe('gateway-frames options', () => {
  it('has defaults that fit a short run', () => {
    const o = parseFramesOptions([], {});
    expect(o).toEqual({ ...FRAMES_DEFAULTS, natsUrl: undefined });
    expect(o.seconds + o.warmupSeconds).toBeLessThanOrEqual(60);
  });

  it('parses every flag and the NATS url', () => {
    expect(
      parseFramesOptions(['--devices', '8', '--window', '64', '--seconds', '3', '--warmup-seconds', '0', '--workers', '4'], { WASMBED_NATS_URL: 'nats://n:1' }),
    ).toEqual({ devices: 8, window: 64, seconds: 3, warmupSeconds: 0, workers: 4, natsUrl: 'nats://n:1' });
  });

  it('refuses an empty window and more load generators than devices', () => {
    expect(() => parseFramesOptions(['--window', '0'], {})).toThrow(/--window needs an integer from 1/);
    expect(() => parseFramesOptions(['--devices', '1', '--workers', '2'], {})).toThrow(/--workers must not exceed --devices/);
  });
});
