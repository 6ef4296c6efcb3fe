import { ConfigError } from '@wasmbed/errors';
import { MCU_BENCH_DEFAULTS, parseMcuBenchOptions } from './options';

describe('parseMcuBenchOptions', () => {
  it('has defaults for a quick run on a small machine', () => {
    expect(parseMcuBenchOptions([])).toEqual(MCU_BENCH_DEFAULTS);
  });

  it('reads every flag; counts are deduplicated and ascending', () => {
    expect(
      parseMcuBenchOptions(['--boards', 'riscv32-virt', '--runs', '5', '--count', '32, 8,16,8', '--fleet-board', 'riscv32-virt', '--hold-seconds', '30', '--create-concurrency', '2']),
    ).toEqual({ boards: ['riscv32-virt'], runs: 5, counts: [8, 16, 32], fleetBoard: 'riscv32-virt', holdSeconds: 30, createConcurrency: 2 });
  });

  it('skips the fleet phase with --count 0', () => {
    expect(parseMcuBenchOptions(['--count', '0']).counts).toEqual([]);
  });

  it.each([
    [['--boards', 'esp32'], /unknown board 'esp32'/],
    [['--boards', ','], /at least one board/],
    [['--runs', '0'], /--runs needs an integer from 1 to 100/],
    [['--count', '8,x'], /--count needs an integer/],
    [['--hold-seconds', '1.5'], /--hold-seconds/],
    [['--fleet-board', 'riscv'], /unknown board 'riscv'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseMcuBenchOptions(argv)).toThrow(ConfigError);
    expect(() => parseMcuBenchOptions(argv)).toThrow(message);
  });

  it('refuses unknown flags', () => {
    expect(() => parseMcuBenchOptions(['--devices', '3'])).toThrow(/Unknown option '--devices'/);
  });
});
