import type { AggregateType } from '@wasmbed/domain';
import type { ReadModels } from '../queries/read-models';

/**
 * An aggregate's domain state and stream version from the read models (each
 * document embeds the state the domain's evolve computed), for deciding a
 * command without reading its stream. Undefined when the read models cannot
 * say (unknown aggregate, or a rebuild in progress): the command then reads.
 */
export async function knownStateOf(readModels: ReadModels, aggregateType: AggregateType, id: string): Promise<{ state: unknown; streamVersion: number } | undefined> {
  try {
    switch (aggregateType) {
      case 'device': {
        const doc = await readModels.devices.find(id);
        return doc && { state: doc.device, streamVersion: doc.version };
      }
      case 'gateway': {
        const doc = await readModels.gateways.find(id);
        return doc && { state: doc.gateway, streamVersion: doc.version };
      }
      case 'application': {
        const doc = await readModels.applications.find(id);
        return doc && { state: doc.app, streamVersion: doc.version };
      }
    }
  } catch {
    return undefined;
  }
}
