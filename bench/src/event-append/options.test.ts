import { parseOptions } from './options';

describe('event-append options', () => {
  it('has defaults sized for the issue (100k events)', () => {
    const o = parseOptions([], {});
    expect(o.events).toBe(100_000);
    expect(o.aggregates % o.window).toBe(0);
  });

  it('parses flags and the NATS url', () => {
    const o = parseOptions(['--events', '5000', '--window', '64', '--aggregates', '128'], { WASMBED_NATS_URL: 'nats://x:1' });
    expect(o).toMatchObject({ events: 5000, window: 64, aggregates: 128, natsUrl: 'nats://x:1' });
  });

  it('takes --no-async-traces as a switch', () => {
    expect(parseOptions(['--no-async-traces', '--events', '10'], {})).toMatchObject({ noAsyncTraces: true, events: 10 });
    expect(parseOptions([], {}).noAsyncTraces).toBe(false);
  });

  it('rejects unknown flags and bad numbers', () => {
    expect(() => parseOptions(['--nope', '1'], {})).toThrow(/unknown option --nope/);
    expect(() => parseOptions(['--events', '-3'], {})).toThrow(/positive integer/);
    expect(() => parseOptions(['--window', '300', '--aggregates', '1000'], {})).toThrow(/multiple/);
  });
});
