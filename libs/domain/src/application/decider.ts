import type { Decider } from '../shared/decider';
import type { ApplicationCommand } from './commands';
import { decideApplication } from './decide';
import type { ApplicationEvent } from './events';
import { evolveApplication } from './evolve';
import { initialApplicationState, type ApplicationState } from './state';

export type ApplicationDecider = Decider<ApplicationCommand, ApplicationEvent, ApplicationState>;

export const applicationDecider: ApplicationDecider = {
  decide: decideApplication,
  evolve: evolveApplication,
  initialState: initialApplicationState,
};
