import type { DeviceSession } from './device-session';
import type { FleetDirectory } from './fleet-directory';
import type { SessionRegistry } from './session-registry';

/**
 * Reacts to fleet events about devices that hold a session here: revoked or
 * rejected → closed at once; approved → welcomed; connected elsewhere (a newer
 * session) → this one is superseded.
 */
export function watchRevocations(directory: FleetDirectory, registry: SessionRegistry<DeviceSession>): () => void {
  return directory.onEvent((event) => {
    if (event.stream.aggregateType !== 'device') return;
    const session = registry.forDevice(event.stream.aggregateId);
    if (session === undefined) return;
    const data = event.data as { reason?: string; sessionId?: string };
    switch (event.type) {
      case 'DeviceRevoked':
        session.refuse('revoked', data.reason ?? 'revoked');
        return;
      case 'DeviceRejected':
        session.refuse('denied', data.reason ?? 'denied');
        return;
      case 'DeviceEnrolled':
        session.approve();
        return;
      case 'DeviceConnected':
        // Our own sessions of this device are ordered already (the registry superseded the old ones).
        if (data.sessionId !== undefined && !registry.holds(data.sessionId)) session.foreignConnect(event.position);
        return;
    }
  });
}
