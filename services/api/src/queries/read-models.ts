import type { Application, Device, Gateway } from '@wasmbed/proto';
import type { ReadModelGate } from '../admin/read-model-gate';
import { COLLECTIONS, type ApplicationDoc, type DeploymentsDoc, type DeviceDoc, type GatewayDoc } from '../projections/documents';
import type { ObservedDocumentStore } from '../projections/observed-document-store';
import { toApplicationMessage } from '../views/application-view';
import { toDeviceMessage } from '../views/device-view';
import { toGatewayMessage } from '../views/gateway-view';
import { ResourceReader } from './resource-reader';

/** The query side: one reader per resource over the projections' stores. */
export interface ReadModels {
  readonly devices: ResourceReader<DeviceDoc, Device>;
  readonly gateways: ResourceReader<GatewayDoc, Gateway>;
  readonly applications: ResourceReader<ApplicationDoc, Application>;
  /** Closed while the read models are rebuilt. */
  readonly gate: ReadModelGate;
}

export function createReadModels(
  stores: { fleet: ObservedDocumentStore; apps: ObservedDocumentStore },
  gate: ReadModelGate,
  clock: () => Date = () => new Date(),
): ReadModels {
  return {
    gate,
    devices: new ResourceReader<DeviceDoc, Device>({
      resource: 'device',
      store: stores.fleet,
      collection: COLLECTIONS.devices,
      context: 'fleet',
      gate,
      // What runs on a device comes from the apps log, joined at read time.
      toMessage: async (doc) => toDeviceMessage(doc, (await stores.apps.get<DeploymentsDoc>(COLLECTIONS.deployments, doc.device.deviceId))?.doc),
    }),
    gateways: new ResourceReader<GatewayDoc, Gateway>({
      resource: 'gateway',
      store: stores.fleet,
      collection: COLLECTIONS.gateways,
      context: 'fleet',
      gate,
      toMessage: (doc) => toGatewayMessage(doc, clock()),
    }),
    applications: new ResourceReader<ApplicationDoc, Application>({
      resource: 'application',
      store: stores.apps,
      collection: COLLECTIONS.applications,
      context: 'apps',
      gate,
      toMessage: toApplicationMessage,
    }),
  };
}
