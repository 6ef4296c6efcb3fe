import { parseArgs } from 'node:util';
import { ConfigError } from '@wasmbed/errors';

/** The boards renode-manager runs on QEMU, by the names its catalogue knows. */
export const MCU_BOARDS = ['mps2-an385', 'riscv32-virt'] as const;
export type McuBoard = (typeof MCU_BOARDS)[number];

export interface McuBenchOptions {
  /** Boards measured in (a) and (c). */
  readonly boards: readonly McuBoard[];
  /** create → Connected → Running repetitions per board, and bare boots per board. */
  readonly runs: number;
  /** Fleet sizes for (b), each run on its own (ascending). */
  readonly counts: readonly number[];
  /** Board of the (b) fleets. */
  readonly fleetBoard: McuBoard;
  /** How long each (b) fleet is held and sampled once all are Connected. */
  readonly holdSeconds: number;
  /** renode-manager creates at once during (b). */
  readonly createConcurrency: number;
}

export const MCU_BENCH_DEFAULTS: McuBenchOptions = { boards: [...MCU_BOARDS], runs: 3, counts: [8, 16], fleetBoard: 'mps2-an385', holdSeconds: 20, createConcurrency: 4 };

function positiveInt(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new ConfigError(`${flag} needs an integer from 1 to ${max}, got '${text}'`, [flag]);
  return n;
}

function board(flag: string, text: string): McuBoard {
  if (!(MCU_BOARDS as readonly string[]).includes(text)) throw new ConfigError(`${flag}: unknown board '${text}'; known: ${MCU_BOARDS.join(', ')}`, [flag]);
  return text as McuBoard;
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/**
 * `--boards a,b --runs n --count 8,16,32 --fleet-board b --hold-seconds s --create-concurrency n`;
 * `--count 0` (alone) skips (b). Unknown flags and bad values are refused with the flag named.
 */
export function parseMcuBenchOptions(argv: readonly string[]): McuBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      boards: { type: 'string' },
      runs: { type: 'string' },
      count: { type: 'string' },
      'fleet-board': { type: 'string' },
      'hold-seconds': { type: 'string' },
      'create-concurrency': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const d = MCU_BENCH_DEFAULTS;
  const boards = values.boards === undefined ? d.boards : [...new Set(list(values.boards).map((b) => board('--boards', b)))];
  if (boards.length === 0) throw new ConfigError('--boards needs at least one board', ['--boards']);
  const counts =
    values.count === undefined ? d.counts : values.count.trim() === '0' ? [] : [...new Set(list(values.count).map((c) => positiveInt('--count', c, 256)))].sort((a, b) => a - b);
  return {
    boards,
    runs: values.runs === undefined ? d.runs : positiveInt('--runs', values.runs, 100),
    counts,
    fleetBoard: values['fleet-board'] === undefined ? d.fleetBoard : board('--fleet-board', values['fleet-board']),
    holdSeconds: values['hold-seconds'] === undefined ? d.holdSeconds : positiveInt('--hold-seconds', values['hold-seconds'], 3600),
    createConcurrency: values['create-concurrency'] === undefined ? d.createConcurrency : positiveInt('--create-concurrency', values['create-concurrency'], 64),
  };
}
