// Firing ids name their record: the keys themselves are built in store-layout.ts.

/** `<rule>:<suffix>`: rule names never contain `:`, so the id names its record. */
export const firingIdOf = (rule: string, suffix: string): string => `${rule}:${suffix}`;

export function parseFiringId(id: string): { rule: string; suffix: string } | undefined {
  const m = /^([a-z0-9][a-z0-9_-]{0,62}):(\d{13}-(?:schedule|(?:manual|test)-[0-9a-f]{8}))$/.exec(id);
  return m ? { rule: m[1]!, suffix: m[2]! } : undefined;
}
