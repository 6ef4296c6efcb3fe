import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** JS heap limits of an app worker: the guest's linear memory is not on this heap, so little is needed. */
export const DEFAULT_WORKER_RESOURCE_LIMITS: ResourceLimits = Object.freeze({
  maxOldGenerationSizeMb: 48,
  maxYoungGenerationSizeMb: 8,
  stackSizeMb: 4,
});

// Built, this file is dist/runtime/app-worker-launch.js next to app-worker.js.
// Run from sources (jest), it is a .ts file and the worker must compile TypeScript
// itself: source-mode-loader.js teaches the worker's require to do so.
const fromSources = __filename.endsWith('.ts');

/** A new app worker, waiting for its first `run` request (app-worker.ts). */
export function spawnAppWorker(resourceLimits: ResourceLimits = DEFAULT_WORKER_RESOURCE_LIMITS): Worker {
  const options = { resourceLimits, stdout: false, stderr: false };
  if (!fromSources) return new Worker(join(__dirname, 'app-worker.js'), options);
  const loader = JSON.stringify(join(__dirname, 'source-mode-loader.js'));
  const entry = JSON.stringify(join(__dirname, 'app-worker.ts'));
  return new Worker(`require(${loader}); require(${entry});`, { ...options, eval: true });
}
