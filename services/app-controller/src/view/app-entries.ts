import { evolveApplication, initialApplicationState, type Application, type ApplicationEvent } from '@wasmbed/domain';
import type { AppEntry } from './types';

/**
 * Folds one event of an application's stream with the domain's own evolve, and
 * keeps the two facts the state leaves out: when the stop/delete under way was
 * requested (for the delete timeout) and the last RolloutFailed (its rollbackTo).
 */
export function foldAppEntry(entry: AppEntry | undefined, event: ApplicationEvent, position: number): AppEntry {
  const app = evolveApplication(entry?.app ?? initialApplicationState(), event) as Application;
  let windDownRequestedAt = entry?.windDownRequestedAt ?? null;
  let lastFailure = entry?.lastFailure ?? null;
  switch (event.type) {
    case 'ApplicationStopping':
    case 'ApplicationDeleting':
      windDownRequestedAt = Date.parse(event.data.requestedAt);
      break;
    case 'ApplicationStopped':
    case 'ApplicationDeleted':
    case 'RolloutStarted':
      windDownRequestedAt = null;
      break;
    case 'RolloutFailed':
      lastFailure = event.data;
      break;
  }
  return { app, version: position, windDownRequestedAt, lastFailure };
}
