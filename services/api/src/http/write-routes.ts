import { PermissionDeniedError, roleSatisfies, validateRequest } from '@wasmbed/grpc-kit';
import {
  ApproveDeviceResponse,
  PauseRolloutResponse,
  RejectDeviceResponse,
  ResumeRolloutResponse,
  RevokeDeviceResponse,
  RollbackRolloutResponse,
  StopApplicationResponse,
  type RebuildReadModelsRequest,
  type RebuildReadModelsResponse,
} from '@wasmbed/proto';
import { sendJson } from '@wasmbed/service-kit';
import { z } from 'zod';
import type { Operation } from '../commands/operation';
import type { ApplicationOperations } from '../grpc/application-operations';
import type { DeviceOperations } from '../grpc/device-service';
import { httpCaller, type HttpContext, type HttpHandler } from './http-context';
import { readJsonBody } from './request-body';

/**
 * An HTTP route over an operation: the same role, edge checks and work as its
 * gRPC method. The body is read with a strict schema, turned into the gRPC
 * request, and the result answered in the proto JSON mapping.
 */
function operationRoute<Req, Res>(operation: Operation<Req, Res>, toRequest: (ctx: HttpContext) => Promise<unknown>, toJson: (result: Res) => unknown): HttpHandler {
  return async (ctx) => {
    const caller = httpCaller(ctx);
    if (!roleSatisfies(ctx.principal!.role, operation.role)) throw new PermissionDeniedError(`${ctx.req.method} ${ctx.url.pathname}`, operation.role, ctx.principal!.role);
    const request = await validateRequest(operation.schema, await toRequest(ctx));
    sendJson(ctx.res, 200, toJson(await operation.run(request, caller)));
  };
}

const commandBody = {
  commandId: z.string().optional(),
  expectedVersion: z.number().int().nonnegative().optional(),
};
const plainCommandBody = z.strictObject(commandBody);
const reasonBody = z.strictObject({ ...commandBody, reason: z.string() });
const pairingBody = z.strictObject({
  ...commandBody,
  enabled: z.boolean(),
  durationSeconds: z.number().int().nonnegative().optional(),
  /** Absent: every gateway. */
  gateway: z.string().optional(),
});

const pauseBody = z.strictObject({ ...commandBody, reason: z.string().optional() });
const rollbackBody = z.strictObject({ ...commandBody, reason: z.string(), toRevision: z.number().int().positive().optional() });
const deployBody = z.strictObject({ ...commandBody, revision: z.number().int().positive().optional() });

async function deviceCommand(ctx: HttpContext, schema: typeof plainCommandBody | typeof reasonBody) {
  const body: { commandId?: string; expectedVersion?: number; reason?: string } = await readJsonBody(ctx.req, schema);
  return { commandId: body.commandId ?? '', expectedVersion: body.expectedVersion ?? 0, name: ctx.params.name, reason: body.reason ?? '' };
}

/** The fields every application command shares; a missing body counts as `{}`. */
async function applicationCommand<T extends { commandId?: string; expectedVersion?: number }>(ctx: HttpContext, schema: z.ZodType<T>) {
  const body = await readJsonBody(ctx.req, schema);
  return { ...body, commandId: body.commandId ?? '', expectedVersion: body.expectedVersion ?? 0, name: ctx.params.name };
}

export interface WriteRouteDeps {
  readonly devices: DeviceOperations;
  readonly applications: ApplicationOperations;
  readonly rebuildReadModels: Operation<RebuildReadModelsRequest, RebuildReadModelsResponse>;
}

export function writeRoutes({ devices, applications, rebuildReadModels }: WriteRouteDeps) {
  return {
    approveDevice: operationRoute(devices.approveDevice, (ctx) => deviceCommand(ctx, plainCommandBody), (r) => ApproveDeviceResponse.toJSON(r)),
    rejectDevice: operationRoute(devices.rejectDevice, (ctx) => deviceCommand(ctx, reasonBody), (r) => RejectDeviceResponse.toJSON(r)),
    revokeDevice: operationRoute(devices.revokeDevice, (ctx) => deviceCommand(ctx, reasonBody), (r) => RevokeDeviceResponse.toJSON(r)),
    setPairingMode: operationRoute(
      devices.setPairingMode,
      async (ctx) => {
        const body = await readJsonBody(ctx.req, pairingBody);
        return {
          commandId: body.commandId ?? '',
          expectedVersion: body.expectedVersion ?? 0,
          target: body.gateway === undefined ? { $case: 'allGateways', value: true } : { $case: 'gateway', value: body.gateway },
          enabled: body.enabled,
          durationSeconds: body.durationSeconds ?? 0,
        };
      },
      // `enabled` is always written: a left-out false would read as "unknown" to curl users.
      (r) => ({ results: r.results.map((g) => ({ gateway: g.gateway, enabled: g.enabled, ...(g.until ? { until: g.until.toISOString() } : {}), version: g.version })) }),
    ),
    deployApplication: operationRoute(
      applications.deployApplication,
      async (ctx) => {
        const body = await applicationCommand(ctx, deployBody);
        return { ...body, revision: body.revision ?? 0, strategy: undefined };
      },
      // Every field is written, zero and empty included: "none left out" is an answer.
      (r) => ({ version: r.version, revision: r.revision, excludedDevices: r.excludedDevices }),
    ),
    stopApplication: operationRoute(applications.stopApplication, (ctx) => applicationCommand(ctx, plainCommandBody), (r) => StopApplicationResponse.toJSON(r)),
    pauseRollout: operationRoute(
      applications.pauseRollout,
      async (ctx) => {
        const body = await applicationCommand(ctx, pauseBody);
        return { ...body, reason: body.reason ?? '' };
      },
      (r) => PauseRolloutResponse.toJSON(r),
    ),
    resumeRollout: operationRoute(applications.resumeRollout, (ctx) => applicationCommand(ctx, plainCommandBody), (r) => ResumeRolloutResponse.toJSON(r)),
    rollbackRollout: operationRoute(
      applications.rollbackRollout,
      async (ctx) => {
        const body = await applicationCommand(ctx, rollbackBody);
        return { ...body, toRevision: body.toRevision ?? 0 };
      },
      (r) => RollbackRolloutResponse.toJSON(r),
    ),
    rebuildReadModels: operationRoute(
      rebuildReadModels,
      async (ctx) => readJsonBody(ctx.req, z.strictObject({})),
      // Every count is written, zeros included.
      (r) => ({ devices: r.devices, gateways: r.gateways, applications: r.applications, eventsReplayed: r.eventsReplayed, durationMs: r.durationMs }),
    ),
  } satisfies Record<string, HttpHandler>;
}
