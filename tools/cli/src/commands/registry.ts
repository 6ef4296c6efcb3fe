import type { Command } from '../command';
import { ADMIN_COMMANDS } from './admin';
import { APP_LIFECYCLE_COMMANDS } from './app-lifecycle';
import { APP_PUBLISH_COMMANDS } from './app-publish';
import { APP_VIEW_COMMANDS } from './app-view';
import { DEVICE_COMMANDS } from './device';
import { GATEWAY_COMMANDS } from './gateway';
import { KEYS_COMMANDS } from './keys';
import { LOGS_COMMANDS } from './logs';
import { PAIRING_COMMANDS } from './pairing';
import { SIGN_COMMANDS } from './sign';

/** Every command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  ...DEVICE_COMMANDS,
  ...PAIRING_COMMANDS,
  ...GATEWAY_COMMANDS,
  ...KEYS_COMMANDS,
  ...SIGN_COMMANDS,
  ...APP_PUBLISH_COMMANDS,
  ...APP_VIEW_COMMANDS,
  ...APP_LIFECYCLE_COMMANDS,
  ...LOGS_COMMANDS,
  ...ADMIN_COMMANDS,
];
