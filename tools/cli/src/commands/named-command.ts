import type { Command, CommandContext } from '../command';

interface NamedCommandSpec extends Omit<Command, 'run' | 'arity'> {
  /** What the command acts on, for the result line: "device", "application". */
  readonly resource: string;
  /** The api call for the resource named by the first argument. */
  call(ctx: CommandContext, name: string): Promise<{ readonly version: number; readonly revision?: number }>;
  /** The result line's middle: "approved", "rolling back to revision 1". */
  done(response: { readonly version: number; readonly revision?: number }): string;
}

/** A command on one named resource that answers with its new version: "device dev-1: approved (version 4)". */
export function namedCommand({ resource, call, done, ...command }: NamedCommandSpec): Command {
  return {
    usage: 'NAME',
    ...command,
    arity: [1, 1],
    async run(ctx) {
      const name = ctx.args.arg(0);
      const response = await call(ctx, name);
      if (ctx.out.json) return ctx.out.jsonValue({ name, ...response });
      ctx.out.line(`${resource} ${name}: ${done(response)} (version ${response.version})`);
    },
  };
}
