import { parseBenchOptions, requireOption, type IntegerFlags } from '../support/cli-options';

/** Options of the enrollment bench (`--enrollments 2000 --concurrency 32 ...`). */
export interface EnrollmentOptions {
  /** New device keys enrolled (and, for the baseline, handshakes made). */
  enrollments: number;
  /** Enrollments in progress at once, over all load generators. */
  concurrency: number;
  workers: number;
}

export const ENROLLMENT_DEFAULTS: EnrollmentOptions = { enrollments: 2_000, concurrency: 32, workers: 2 };

const FLAGS: IntegerFlags<EnrollmentOptions> = {
  '--enrollments': { key: 'enrollments', min: 1, max: 100_000 },
  '--concurrency': { key: 'concurrency', min: 1, max: 4_096 },
  '--workers': { key: 'workers', min: 1, max: 8 },
};

export function parseEnrollmentOptions(argv: readonly string[], env: NodeJS.ProcessEnv): EnrollmentOptions & { natsUrl?: string } {
  return parseBenchOptions(argv, env, ENROLLMENT_DEFAULTS, FLAGS, (o) => {
    requireOption(o.workers <= o.concurrency, '--workers must not exceed --concurrency (each load generator needs one enrollment in flight)');
    requireOption(o.workers <= o.enrollments, '--workers must not exceed --enrollments');
  });
}
