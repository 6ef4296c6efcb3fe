import type { Application, Rollout } from '@wasmbed/domain';
import type { AppEntry, ControllerView } from '../view/types';
import type { CommandFactory } from './actions';
import type { TargetModule } from './attestation';
import type { PlannerSettings } from './settings';

/** One application in one planning pass. */
export interface AppPlan {
  readonly view: ControllerView;
  readonly entry: AppEntry;
  readonly app: Application;
  readonly now: number;
  readonly settings: PlannerSettings;
  readonly command: CommandFactory;
}

/** The rollout being planned and the module its revision deploys. */
export interface RolloutPlan extends AppPlan {
  readonly rollout: Rollout;
  readonly module: TargetModule;
}
