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
import { sendJson } from '@wasmbed/service-kit';
import type { DocumentFilter } from '../queries/collection-pages';
import { applicationFilter, deviceFilter, gatewayFilter } from '../queries/filters';
import type { ReadModels } from '../queries/read-models';
import type { ResourceReader } from '../queries/resource-reader';
import type { HttpHandler } from './http-context';
import { enumParam, intParam } from './query-params';

/**
 * GET /api/v1/<collection> and /api/v1/<collection>/{name}, answered in the
 * proto JSON mapping (which leaves out default values); lists always carry
 * their array, empty or not.
 */
function routes<D, M>(
  reader: ResourceReader<D, M>,
  filterOf: (params: URLSearchParams) => DocumentFilter<D>,
  listJson: (items: M[], nextPageToken: string) => unknown,
  getJson: (message: M) => unknown,
): { list: HttpHandler; get: HttpHandler } {
  return {
    async list({ url, res }) {
      const params = url.searchParams;
      const page = await reader.list(filterOf(params), { pageSize: intParam(params, 'page_size'), pageToken: params.get('page_token') ?? '' });
      sendJson(res, 200, listJson(page.items, page.nextPageToken));
    },
    get: async ({ params, res }) => sendJson(res, 200, getJson(await reader.get(params.name))),
  };
}

export function readRoutes(readModels: ReadModels) {
  const devices = routes(
    readModels.devices,
    (p) =>
      deviceFilter({
        labelSelector: p.get('label_selector') ?? '',
        phase: enumParam(p, 'phase', DevicePhase, 'DEVICE_PHASE_'),
        gateway: p.get('gateway') ?? '',
      }),
    (items, nextPageToken) => ({ devices: [], ...(ListDevicesResponse.toJSON({ devices: items, nextPageToken }) as object) }),
    (device) => GetDeviceResponse.toJSON({ device }),
  );
  const gateways = routes(
    readModels.gateways,
    (p) => gatewayFilter({ phase: enumParam(p, 'phase', GatewayPhase, 'GATEWAY_PHASE_'), region: p.get('region') ?? '' }),
    (items, nextPageToken) => ({ gateways: [], ...(ListGatewaysResponse.toJSON({ gateways: items, nextPageToken }) as object) }),
    (gateway) => GetGatewayResponse.toJSON({ gateway }),
  );
  const applications = routes(
    readModels.applications,
    (p) => applicationFilter({ phase: enumParam(p, 'phase', ApplicationPhase, 'APPLICATION_PHASE_') }),
    (items, nextPageToken) => ({ applications: [], ...(ListApplicationsResponse.toJSON({ applications: items, nextPageToken }) as object) }),
    (application) => GetApplicationResponse.toJSON({ application }),
  );
  return {
    listDevices: devices.list,
    getDevice: devices.get,
    listGateways: gateways.list,
    getGateway: gateways.get,
    listApplications: applications.list,
    getApplication: applications.get,
  } satisfies Record<string, HttpHandler>;
}
