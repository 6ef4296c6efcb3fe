import {
  ApplicationPhase,
  DevicePhase,
  GatewayPhase,
  GetApplicationResponse,
  GetDeviceResponse,
  GetGatewayResponse,
  ListApplicationsResponse,
  ListDevicesResponse,
  ListGatewaysResponse,
} from '@wasmbed/proto';
import type { DocumentFilter } from '../queries/collection-pages';
import { applicationFilter, deviceFilter, gatewayFilter } from '../queries/filters';
import type { ReadModels } from '../queries/read-models';
import type { ResourceReader } from '../queries/resource-reader';
import { enumParam, intParam } from './query-params';

/**
 * GET /api/v1/<collection> and /api/v1/<collection>/<name>, answered in the
 * proto JSON mapping (which leaves out default values); lists always carry
 * their array, empty or not.
 */
interface ResourceRoute {
  list(params: URLSearchParams): Promise<unknown>;
  get(name: string): Promise<unknown>;
}

function route<D, M>(
  reader: ResourceReader<D, M>,
  filterOf: (params: URLSearchParams) => DocumentFilter<D>,
  listJson: (items: M[], nextPageToken: string) => unknown,
  getJson: (message: M) => unknown,
): ResourceRoute {
  return {
    async list(params) {
      const page = await reader.list(filterOf(params), { pageSize: intParam(params, 'page_size'), pageToken: params.get('page_token') ?? '' });
      return listJson(page.items, page.nextPageToken);
    },
    get: async (name) => getJson(await reader.get(name)),
  };
}

export function apiRoutes(readModels: ReadModels): Readonly<Record<string, ResourceRoute>> {
  return {
    devices: route(
      readModels.devices,
      (p) =>
        deviceFilter({
          labelSelector: p.get('label_selector') ?? '',
          phase: enumParam(p, 'phase', DevicePhase, 'DEVICE_PHASE_'),
          gateway: p.get('gateway') ?? '',
        }),
      (devices, nextPageToken) => ({ devices: [], ...(ListDevicesResponse.toJSON({ devices, nextPageToken }) as object) }),
      (device) => GetDeviceResponse.toJSON({ device }),
    ),
    gateways: route(
      readModels.gateways,
      (p) => gatewayFilter({ phase: enumParam(p, 'phase', GatewayPhase, 'GATEWAY_PHASE_'), region: p.get('region') ?? '' }),
      (gateways, nextPageToken) => ({ gateways: [], ...(ListGatewaysResponse.toJSON({ gateways, nextPageToken }) as object) }),
      (gateway) => GetGatewayResponse.toJSON({ gateway }),
    ),
    applications: route(
      readModels.applications,
      (p) => applicationFilter({ phase: enumParam(p, 'phase', ApplicationPhase, 'APPLICATION_PHASE_') }),
      (applications, nextPageToken) => ({ applications: [], ...(ListApplicationsResponse.toJSON({ applications, nextPageToken }) as object) }),
      (application) => GetApplicationResponse.toJSON({ application }),
    ),
  };
}
