/** A generated proto enum object (TypeScript numeric enum, with its reverse mapping). */
export type ProtoEnum = Readonly<Record<string, string | number>>;

/** The members of a proto enum by their short CLI name: DEVICE_PHASE_CONNECTED → "connected". */
export function enumChoices(protoEnum: ProtoEnum, prefix: string): ReadonlyMap<string, number> {
  const choices = new Map<string, number>();
  for (const [name, value] of Object.entries(protoEnum)) {
    if (typeof value !== 'number' || !name.startsWith(prefix) || name === `${prefix}UNSPECIFIED`) continue;
    choices.set(name.slice(prefix.length).toLowerCase(), value);
  }
  return choices;
}

/** The short CLI name of an enum value; "-" for UNSPECIFIED (proto's "not set"). */
export function enumShortName(protoEnum: ProtoEnum, prefix: string, value: number): string {
  const name = protoEnum[value];
  if (typeof name !== 'string' || name === `${prefix}UNSPECIFIED`) return '-';
  return name.startsWith(prefix) ? name.slice(prefix.length).toLowerCase() : name.toLowerCase();
}
