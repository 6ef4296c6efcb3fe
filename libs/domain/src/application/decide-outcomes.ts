import { InvalidCommand, InvalidTransition } from '../shared/errors';
import type { CommandMetadata } from '../shared/messages';
import { requireIsoTime } from '../shared/time';
import { requireArray, requireRecord } from '../shared/validation';
import type { RecordDeviceOutcomes } from './commands';
import { decideDeviceOutcome, type Data, type OutcomeCommand } from './decide-rollout';
import type { ApplicationEvent } from './events';
import { evolveApplication } from './evolve';
import type { Application } from './state';

const COMMAND_OF_KIND: Readonly<Record<string, OutcomeCommand['type']>> = {
  started: 'RecordDeviceDeploymentStarted',
  running: 'RecordDeviceRunning',
  failed: 'RecordDeviceFailed',
};

/**
 * RecordDeviceOutcomes: the single-outcome decider folded over the outcomes, each
 * deciding on the state left by the previous ones, so the events (threshold
 * failures included) are exactly those of the single commands in the same order.
 * One refused outcome refuses the whole command: a commit is all or nothing.
 */
export function decideDeviceOutcomes(app: Application, data: Data<RecordDeviceOutcomes>, meta: CommandMetadata): ApplicationEvent[] {
  const outcomes = requireArray('data.outcomes', data.outcomes);
  if (outcomes.length === 0) throw new InvalidCommand('data.outcomes', 'must list at least one outcome');
  const events: ApplicationEvent[] = [];
  let state = app;
  outcomes.forEach((raw, index) => {
    const field = `data.outcomes[${index}]`;
    const outcome = requireRecord(field, raw);
    const type = typeof outcome.kind === 'string' ? COMMAND_OF_KIND[outcome.kind] : undefined;
    if (type === undefined) throw new InvalidCommand(`${field}.kind`, `must be one of ${Object.keys(COMMAND_OF_KIND).join(', ')}`);
    const now = outcome.at === undefined ? meta.now : requireIsoTime(`${field}.at`, outcome.at);
    let decided: ApplicationEvent[];
    try {
      decided = decideDeviceOutcome(state, type, outcome, { ...meta, now });
    } catch (err) {
      throw locate(err, field);
    }
    for (const event of decided) {
      events.push(event);
      state = evolveApplication(state, event) as Application;
    }
  });
  return events;
}

/** Names the outcome a refusal is about, and this command rather than the single one it folds. */
function locate(err: unknown, field: string): unknown {
  if (err instanceof InvalidCommand && err.field.startsWith('data.')) return new InvalidCommand(`${field}.${err.field.slice('data.'.length)}`, err.reason);
  if (err instanceof InvalidTransition) return new InvalidTransition('RecordDeviceOutcomes', err.aggregate, err.aggregateId, err.from);
  return err;
}
