#!/usr/bin/env node
// wasmbed-sim-fleet: runs N simulated devices against a gateway until interrupted.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runFleet } from '../fleet/run-fleet';

const USAGE = `usage: wasmbed-sim-fleet --count N --gateway host:port --ca gateway-ca.pem [--key-dir DIR] [--prefix NAME]
                          [--concurrency N] [--summary-interval-ms MS]

  --count                 devices to simulate (one process; thousands fit)
  --gateway               the gateway's device endpoint
  --ca                    PEM file of the CA the gateway certificate chains to
  --key-dir               keep each device's key and certificate in DIR/<name> (stable identities across runs)
  --prefix                device name prefix (default "sim": sim-001, sim-002, ...)
  --concurrency           devices connecting at once while the fleet starts (default 50)
  --summary-interval-ms   how often to print the fleet summary line (default 5000)`;

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' },
      gateway: { type: 'string' },
      ca: { type: 'string' },
      'key-dir': { type: 'string' },
      prefix: { type: 'string' },
      concurrency: { type: 'string' },
      'summary-interval-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.count || !values.gateway || !values.ca) throw new Error('--count, --gateway and --ca are required');

  const fleet = runFleet({
    count: positiveInt('count', values.count),
    gateway: values.gateway,
    ca: readFileSync(values.ca, 'utf8'),
    keyDir: values['key-dir'],
    namePrefix: values.prefix,
    connectConcurrency: positiveInt('concurrency', values.concurrency, 50),
    summaryIntervalMs: positiveInt('summary-interval-ms', values['summary-interval-ms'], 5_000),
  });
  // The interval timer is unref'd; this keeps the process up while devices retry.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    console.log(`fleet: ${signal}, stopping ${fleet.devices.length} devices`);
    void fleet.stop().then(() => {
      console.log(fleet.summaryLine());
      clearInterval(keepAlive);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  void fleet.started.then(() => console.log(`fleet: all ${fleet.devices.length} devices started; ${fleet.summaryLine()}`));
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(`wasmbed-sim-fleet: ${(err as Error).message}\n\n${USAGE}`);
  process.exitCode = 2;
}
