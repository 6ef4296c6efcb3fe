import {
  ApplicationPhase,
  ChangeKind,
  DevicePhase,
  GatewayPhase,
  type Application,
  type ApplicationChange,
  type Device,
  type DeviceChange,
  type Gateway,
  type GatewayChange,
} from '@wasmbed/proto';
import type { SyncKind } from '../resources';
import type { FleetOf } from '../rules/kind-rules';
import { isNotFound, type FleetApi, type ServerStream } from './api-client';

export interface FleetChange<T> {
  readonly kind: ChangeKind;
  readonly item: T | undefined;
  readonly position: number;
}

export interface FleetPage<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string;
}

/** How one kind is read from the api: Watch*, List* and Get*. */
export interface FleetSource<K extends SyncKind> {
  readonly kind: K;
  /** Watch* from the current state on; each message mapped onto a FleetChange. */
  watch(api: FleetApi): { readonly stream: ServerStream<unknown>; readonly changeOf: (message: unknown) => FleetChange<FleetOf[K]> };
  list(api: FleetApi, pageToken: string): Promise<FleetPage<FleetOf[K]>>;
  /** A fresh read; undefined = NOT_FOUND. */
  get(api: FleetApi, name: string): Promise<FleetOf[K] | undefined>;
}

const PAGE_SIZE = 1000;

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function changeOf<C extends { kind: ChangeKind; position: number }, T>(message: C, item: (c: C) => T | undefined): FleetChange<T> {
  return { kind: message.kind, item: item(message), position: message.position };
}

// The watches and lists filter nothing: the sync mirrors the whole fleet.
const allDevices = { labelSelector: '', phase: DevicePhase.DEVICE_PHASE_UNSPECIFIED };

export const deviceSource: FleetSource<'Device'> = {
  kind: 'Device',
  watch: (api) => ({ stream: api.devices.watchDevices(allDevices), changeOf: (m) => changeOf(m as DeviceChange, (c) => c.device) }),
  list: async (api, pageToken) => {
    const res = await api.call<{ devices: Device[]; nextPageToken: string }>((m, o, done) => api.devices.listDevices({ pageSize: PAGE_SIZE, pageToken, ...allDevices, gateway: '' }, m, o, done));
    return { items: res.devices, nextPageToken: res.nextPageToken };
  },
  get: (api, name) => orUndefined(api.call<{ device?: Device }>((m, o, done) => api.devices.getDevice({ name }, m, o, done)).then((r) => r.device)),
};

export const applicationSource: FleetSource<'Application'> = {
  kind: 'Application',
  watch: (api) => ({
    stream: api.apps.watchApplications({ phase: ApplicationPhase.APPLICATION_PHASE_UNSPECIFIED }),
    changeOf: (m) => changeOf(m as ApplicationChange, (c) => c.application),
  }),
  list: async (api, pageToken) => {
    const res = await api.call<{ applications: Application[]; nextPageToken: string }>((m, o, done) =>
      api.apps.listApplications({ pageSize: PAGE_SIZE, pageToken, phase: ApplicationPhase.APPLICATION_PHASE_UNSPECIFIED }, m, o, done),
    );
    return { items: res.applications, nextPageToken: res.nextPageToken };
  },
  get: (api, name) => orUndefined(api.call<{ application?: Application }>((m, o, done) => api.apps.getApplication({ name }, m, o, done)).then((r) => r.application)),
};

export const gatewaySource: FleetSource<'Gateway'> = {
  kind: 'Gateway',
  watch: (api) => ({
    stream: api.gateways.watchGateways({ phase: GatewayPhase.GATEWAY_PHASE_UNSPECIFIED }),
    changeOf: (m) => changeOf(m as GatewayChange, (c) => c.gateway),
  }),
  list: async (api, pageToken) => {
    const res = await api.call<{ gateways: Gateway[]; nextPageToken: string }>((m, o, done) =>
      api.gateways.listGateways({ pageSize: PAGE_SIZE, pageToken, phase: GatewayPhase.GATEWAY_PHASE_UNSPECIFIED, region: '' }, m, o, done),
    );
    return { items: res.gateways, nextPageToken: res.nextPageToken };
  },
  get: (api, name) => orUndefined(api.call<{ gateway?: Gateway }>((m, o, done) => api.gateways.getGateway({ name }, m, o, done)).then((r) => r.gateway)),
};

