import type { DeviceCommand, GatewayCommand } from '@wasmbed/domain';
import { CONTROLLER_ACTOR } from './fleet-state';

/** A domain command before the executor stamps it with a time and the controller as actor. */
export type Unstamped<C> = C extends { readonly type: infer T; readonly data: infer D } ? { readonly type: T; readonly data: D } : never;

/** What each rule does; the `action` label of the actions counter (move_device: a device-bus command, not a domain one). */
export type ActionKind =
  | 'mark_unreachable'
  | 'mark_reconnected'
  | 'report_gateway_offline'
  | 'report_gateway_online'
  | 'close_pairing_window'
  | 'expire_enrollment'
  | 'auto_approve'
  | 'drain_reassign'
  | 'move_device';

export const ACTION_KINDS: readonly ActionKind[] = [
  'mark_unreachable',
  'mark_reconnected',
  'report_gateway_offline',
  'report_gateway_online',
  'close_pairing_window',
  'expire_enrollment',
  'auto_approve',
  'drain_reassign',
  'move_device',
];

interface ActionBase {
  readonly kind: ActionKind;
  /**
   * Deterministic: rule, aggregate, what the rule acted on, and the stream version
   * it planned from. A pass retried (lost ack, controller restart) repeats the same
   * id, which the event store recognises; once the stream moved on, a new id lets
   * the domain decide afresh.
   */
  readonly commandId: string;
}

export type PlannedAction =
  | (ActionBase & { readonly target: 'device'; readonly command: Unstamped<DeviceCommand> })
  | (ActionBase & { readonly target: 'gateway'; readonly command: Unstamped<GatewayCommand> });

export function commandIdOf(kind: ActionKind, aggregateId: string, subject: string, version: number): string {
  return `${CONTROLLER_ACTOR}/${kind}/${aggregateId}/${subject}@${version}`;
}

export function deviceAction(kind: ActionKind, version: number, subject: string, command: Unstamped<DeviceCommand>): PlannedAction {
  return { kind, target: 'device', command, commandId: commandIdOf(kind, command.data.deviceId, subject, version) };
}

export function gatewayAction(kind: ActionKind, version: number, subject: string, command: Unstamped<GatewayCommand>): PlannedAction {
  return { kind, target: 'gateway', command, commandId: commandIdOf(kind, command.data.gatewayId, subject, version) };
}
