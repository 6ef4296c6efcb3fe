import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { errorToBusError } from '@wasmbed/device-bus';
import { isWasmbedError } from '@wasmbed/errors';
import type { Logger } from '@wasmbed/service-kit';
import type { DeviceManager } from '../devices/device-manager';
import { parseCommand, parseJsonBody, VERBS, type Verb } from './command-schemas';
import { runCommand } from './run-command';

/** The subject a verb is served on. */
export const commandSubject = (prefix: string, verb: Verb): string => `${prefix}.${verb}`;

/**
 * Serves the commands as NATS request/reply on `<prefix>.<verb>`: JSON in, JSON out,
 * `{ok: true, device | devices}` or `{ok: false, error: {code, message}}`. NATS is the
 * platform's trust boundary: whoever may publish there may run these.
 */
export function serveNatsCommands(nc: NatsConnection, prefix: string, manager: DeviceManager, logger: Logger): Subscription[] {
  const decoder = new TextDecoder();
  const answer = async (verb: Verb, msg: Msg): Promise<unknown> => {
    try {
      return { ok: true, ...(await runCommand(manager, parseCommand(verb, parseJsonBody(decoder.decode(msg.data), verb)))) };
    } catch (err) {
      if (!isWasmbedError(err)) logger.error('command failed', { verb, error: err });
      return { ok: false, error: errorToBusError(err) };
    }
  };
  return VERBS.map((verb) =>
    nc.subscribe(commandSubject(prefix, verb), {
      callback: (subErr, msg) => {
        if (subErr !== null) return;
        void answer(verb, msg).then((reply) => {
          try {
            msg.respond(JSON.stringify(reply));
          } catch {
            // The connection is closing; the requester times out.
          }
        });
      },
    }),
  );
}
