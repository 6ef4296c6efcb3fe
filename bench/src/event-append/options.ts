/** Command-line options of the event-append bench (`--events 100000 --window 256 ...`). */
export interface EventAppendOptions {
  events: number;
  syncEvents: number;
  window: number;
  aggregates: number;
  pacedRate: number;
  pacedSeconds: number;
  natsUrl?: string;
  /** nats.js creates an Error per request for async stack traces unless this is set. */
  noAsyncTraces: boolean;
}

const DEFAULTS: EventAppendOptions = {
  events: 100_000,
  syncEvents: 10_000,
  window: 256,
  aggregates: 1024,
  pacedRate: 2_000,
  pacedSeconds: 5,
  noAsyncTraces: false,
};

const FLAGS: Record<string, keyof Omit<EventAppendOptions, 'natsUrl' | 'noAsyncTraces'>> = {
  '--events': 'events',
  '--sync-events': 'syncEvents',
  '--window': 'window',
  '--aggregates': 'aggregates',
  '--paced-rate': 'pacedRate',
  '--paced-seconds': 'pacedSeconds',
};

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): EventAppendOptions {
  const options: EventAppendOptions = { ...DEFAULTS, natsUrl: env.WASMBED_NATS_URL };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    if (flag === '--no-async-traces') {
      options.noAsyncTraces = true;
      i -= 1;
      continue;
    }
    const key = FLAGS[flag];
    const value = Number(argv[i + 1]);
    if (key === undefined) throw new Error(`unknown option ${flag}; known: ${Object.keys(FLAGS).join(', ')}`);
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer`);
    options[key] = value;
  }
  if (options.window > options.aggregates) throw new Error('--window must not exceed --aggregates (one writer per aggregate)');
  if (options.aggregates % options.window !== 0) throw new Error('--aggregates must be a multiple of --window');
  return options;
}
