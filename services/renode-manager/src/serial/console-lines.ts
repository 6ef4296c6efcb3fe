/** Longest line kept in one piece: a device log message holds at most 4096 characters. */
export const MAX_CONSOLE_LINE = 4096;

/**
 * Splits a serial console's byte stream into lines. `\n`, `\r\n` and a lone `\r`
 * end a line (the firmware's shell echoes `\r`), empty lines are dropped, control
 * characters other than tab are removed, and a line longer than MAX_CONSOLE_LINE is
 * cut into pieces. Bytes are latin1: the console is 8-bit, not necessarily UTF-8.
 */
export class ConsoleLineSplitter {
  private partial = '';

  /** The lines completed by `chunk`. */
  push(chunk: Uint8Array): string[] {
    const text = this.partial + Buffer.from(chunk).toString('latin1');
    const parts = text.split(/\r\n|\r|\n/);
    this.partial = parts.pop() ?? '';
    const lines = parts.flatMap(clean);
    while (this.partial.length > MAX_CONSOLE_LINE) {
      lines.push(...clean(this.partial.slice(0, MAX_CONSOLE_LINE)));
      this.partial = this.partial.slice(MAX_CONSOLE_LINE);
    }
    return lines;
  }

  /** What is left after the stream ended (a last line without its newline). */
  flush(): string[] {
    const rest = clean(this.partial);
    this.partial = '';
    return rest;
  }
}

function clean(line: string): string[] {
  const text = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trimEnd();
  return text.length === 0 ? [] : [text.slice(0, MAX_CONSOLE_LINE)];
}

export type ConsoleLevel = 'info' | 'warn' | 'error';

/** What a console line tells the supervisor, besides being a log line. */
export type ConsoleSignal = { readonly kind: 'fault'; readonly permanent: boolean; readonly reason: string } | undefined;

/**
 * Lines the firmware prints before it halts for good (firmware/README.md): a fault
 * report (a restart may help) or a provisioning error (it cannot: the image is wrong).
 */
export function consoleSignal(line: string): ConsoleSignal {
  // The shell's "> " prompt may sit in front of a line printed while it waits for input.
  const text = withoutPrompt(line);
  if (text.startsWith('FAULT ')) return { kind: 'fault', permanent: false, reason: `firmware halted: ${text}` };
  if (text.startsWith('PROVISIONING ERROR:')) return { kind: 'fault', permanent: true, reason: `firmware halted: ${text}` };
  return undefined;
}

const withoutPrompt = (line: string): string => line.replace(/^(?:> )+/, '');

/** The log level a console line is published with. */
export function consoleLevel(line: string): ConsoleLevel {
  if (/^(?:> )*(FAULT |PROVISIONING ERROR:)/.test(line) || /\bFAILED\b/.test(line)) return 'error';
  if (/\b(warning|offline)\b/i.test(line)) return 'warn';
  return 'info';
}

/**
 * The endpoint of the firmware's `agent: dialing <host:port>` milestone line
 * (firmware/README.md "Console"): printed as a connection starts, before its
 * ClientHello, with the provisioned endpoint or the one a Bye redirected the
 * device to. The shell's prompt (`> `, printed after each command and at boot)
 * may precede it on the same line, since the agent prints between keystrokes.
 * Untrusted text: the caller checks it (serial/gateway-routes.ts).
 */
export function dialingEndpoint(line: string): string | undefined {
  return /^(?:> )*agent: dialing (\S+)$/.exec(line)?.[1];
}
