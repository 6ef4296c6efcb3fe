import type { ControllerView } from '../view/types';
import { commandMemoKey } from '../view/types';
import type { CommandAction } from './actions';
import { retryDelayMs, type RetryPolicy } from './settings';

/**
 * Whether a planned domain command should run now, given what this process did
 * with the same intent: not while it runs; after it recorded events, not until
 * the view has caught up with them; after the domain decided nothing or refused
 * it, not again on the same version of the application before the back-off.
 */
export function mayRunCommand(view: ControllerView, action: CommandAction, now: number, policy: RetryPolicy): boolean {
  const memo = view.commands.get(commandMemoKey(action.appId, action.key));
  if (memo === undefined) return true;
  if (memo.inFlight) return false;
  const version = view.apps.get(action.appId)?.version ?? 0;
  if (memo.outcome === 'applied') return version >= memo.resultVersion;
  if (version !== memo.plannedAtVersion) return true;
  return now >= memo.finishedAt + retryDelayMs(policy, memo.misses);
}
