export type LogFields = Record<string, unknown>;

/** What grpc-kit logs through. Never pass tokens or other secrets in fields. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function line(level: string, message: string, fields?: LogFields): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
}

/** JSON lines on stdout (info) and stderr (warn, error). */
export const consoleLogger: Logger = {
  info: (message, fields) => process.stdout.write(`${line('info', message, fields)}\n`),
  warn: (message, fields) => process.stderr.write(`${line('warn', message, fields)}\n`),
  error: (message, fields) => process.stderr.write(`${line('error', message, fields)}\n`),
};

/** An error as plain fields (Error objects serialise to {} in JSON). */
export function describeError(err: unknown): LogFields {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { thrown: String(err) };
}
