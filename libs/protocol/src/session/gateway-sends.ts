import { ProtocolError, SessionViolationError } from '../errors';
import { decodeManifest } from '../manifest/manifest';
import { maxChunkDataBytes, MIN_DEVICE_FRAME_BYTES } from '../limits';
import type { DeployBody, ModuleChunkBody } from '../messages/app-bodies';
import { emit } from './emit';
import type { OutgoingMessage, SessionConfig, SessionPhase, SessionState, TransferState, Transition } from './session-types';

/** What the gateway may send in which phase, and what each send does to the session. */
export function applySend(state: SessionState, message: OutgoingMessage, nowMs: number, config: SessionConfig): Transition {
  const violation = (why: string): never => {
    throw new SessionViolationError(`cannot send ${message.type} in ${state.phase}: ${why}`);
  };
  const requirePhase = (...phases: SessionPhase[]): void => {
    if (!phases.includes(state.phase)) violation(`only allowed in ${phases.join(' or ')}`);
  };
  // Replies to Hello and to a ModuleRequest answer a known message: the machine fixes their correlationId.
  const correlate = (fixed: number): number => {
    if (message.correlationId !== undefined && message.correlationId !== fixed) violation(`correlationId must be ${fixed}`);
    return fixed;
  };
  const send = (s: SessionState, correlationId: number, after: Partial<SessionState> = {}, close?: 'rejected' | 'bye' | 'peer_error'): Transition => {
    const out = emit(s, message.type, message.body, correlationId);
    if (close) return { state: { ...out.state, ...after, phase: 'Closed', deadlineMs: null }, actions: [out.action, { kind: 'close', reason: close }] };
    return { state: { ...out.state, ...after }, actions: [out.action] };
  };
  const helloMsgId = state.hello?.msgId ?? 0;

  switch (message.type) {
    case 'Welcome': {
      requirePhase('Enrolling', 'Pending');
      const interval = message.body.heartbeatIntervalMs;
      return send(state, correlate(helloMsgId), {
        phase: 'Established',
        heartbeatIntervalMs: interval,
        deadlineMs: nowMs + config.heartbeatMisses * interval,
      });
    }
    case 'EnrollmentPending':
      requirePhase('Enrolling');
      return send(state, correlate(helloMsgId), { phase: 'Pending', deadlineMs: nowMs + config.pendingHoldMs });
    case 'Rejected':
      requirePhase('Enrolling', 'Pending');
      return send(state, correlate(helloMsgId), {}, 'rejected');
    case 'Deploy': {
      requirePhase('Established');
      if (state.transfer) violation(`the deploy of ${state.transfer.appId} revision ${state.transfer.revision} is still in progress`);
      const transfer = startTransfer(message.body, state.lastSentMsgId + 1, violation);
      return send(state, message.correlationId ?? 0, { transfer });
    }
    case 'ModuleChunk': {
      requirePhase('Established');
      const t = state.transfer;
      if (t?.request == null) return violation('no ModuleRequest is outstanding');
      checkChunk(message.body, t, t.request, state.hello?.body.maxFrameBytes ?? MIN_DEVICE_FRAME_BYTES, violation);
      return send(state, correlate(t.request.msgId), { transfer: { ...t, request: null } });
    }
    case 'Stop': {
      requirePhase('Established');
      // Stop cancels a transfer of that app: the device answers with StopResult only.
      const cancels = state.transfer?.appId === message.body.appId;
      return send(state, message.correlationId ?? 0, cancels ? { transfer: null } : {});
    }
    case 'Error': {
      const correlationId = message.correlationId ?? 0;
      const t = state.transfer;
      // An Error may answer the outstanding ModuleRequest instead of a chunk.
      const after = t?.request && t.request.msgId === correlationId ? { transfer: { ...t, request: null } } : {};
      return send(state, correlationId, after, message.body.fatal ? 'peer_error' : undefined);
    }
    case 'Bye':
      return send(state, message.correlationId ?? 0, {}, 'bye');
  }
}

function startTransfer(body: DeployBody, deployMsgId: number, violation: (why: string) => never): TransferState {
  let sizeBytes: number;
  try {
    const manifest = decodeManifest(body.manifest);
    if (manifest.revision !== body.revision) violation(`manifest revision ${manifest.revision} differs from ${body.revision}`);
    sizeBytes = manifest.sizeBytes;
  } catch (err) {
    if (err instanceof ProtocolError) violation(`manifest is invalid: ${err.message}`);
    throw err;
  }
  return { appId: body.appId, revision: body.revision, deployMsgId, totalBytes: sizeBytes, request: null };
}

function checkChunk(
  body: ModuleChunkBody,
  t: TransferState,
  request: NonNullable<TransferState['request']>,
  deviceMaxFrameBytes: number,
  violation: (why: string) => never,
): void {
  if (body.appId !== t.appId || body.revision !== t.revision) violation(`the transfer is ${t.appId} revision ${t.revision}`);
  if (body.offset !== request.offset) violation(`offset must be the requested ${request.offset}`);
  if (body.totalBytes !== t.totalBytes) violation(`totalBytes must be the manifest's sizeBytes ${t.totalBytes}`);
  const max = Math.min(request.maxBytes, maxChunkDataBytes(deviceMaxFrameBytes), t.totalBytes - request.offset);
  if (body.data.length > max) violation(`data of ${body.data.length} bytes exceeds ${max}`);
}
