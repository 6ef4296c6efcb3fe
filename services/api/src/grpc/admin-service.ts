import type { AdminServiceServer, RebuildReadModelsRequest, RebuildReadModelsResponse } from '@wasmbed/proto';
import type { Operation } from '../commands/operation';
import type { ReadModelRebuild } from '../admin/read-model-rebuild';
import { operationHandler } from './command-handler';
import { checked } from './request-schemas';

/** AdminService's operations, shared by gRPC and the HTTP routes. */
export function rebuildReadModelsOperation(rebuild: ReadModelRebuild): Operation<RebuildReadModelsRequest, RebuildReadModelsResponse> {
  return {
    role: 'admin',
    schema: checked<RebuildReadModelsRequest>(),
    run: async () => rebuild.run(),
  };
}

/** AdminService: every method implemented. */
export function adminService(rebuildReadModels: Operation<RebuildReadModelsRequest, RebuildReadModelsResponse>): AdminServiceServer {
  return { rebuildReadModels: operationHandler(rebuildReadModels) };
}
