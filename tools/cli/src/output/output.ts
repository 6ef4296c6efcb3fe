import type { CliIo } from '../io';
import { renderFields, renderTable } from './table';

/** A command's writer: results to stdout, as tables or (with --json) as JSON. */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Pretty JSON on stdout; one document per command unless it streams. */
  jsonValue(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One compact JSON document per line, for streams (--follow, --watch). */
  jsonLine(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  table(headers: readonly string[], rows: readonly (readonly string[])[], empty: string): void {
    this.io.stdout.write(rows.length === 0 ? `${empty}\n` : renderTable(headers, rows));
  }

  fields(fields: readonly (readonly [string, string])[]): void {
    this.io.stdout.write(renderFields(fields));
  }

  /** Progress and hints that are not the result: stderr, so stdout stays parseable. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}
