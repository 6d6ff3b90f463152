/**
 * Where response actions live in the report_results store. Firing keys start with the inverted slot
 * time, so a rule's newest firings are listed first; a scheduled firing's key is the slot alone, so two
 * instances claiming the same slot race for one create-only key.
 */
const MAX_TIME = 9_999_999_999_999;
const inverted = (t: Date) => String(MAX_TIME - t.getTime()).padStart(13, '0');

export const actionKeys = {
  rulesPrefix: 'actions/rules',
  firingsPrefix: (rule: string) => `actions/firings/${rule}/`,
  firing: (rule: string, suffix: string) => `actions/firings/${rule}/${suffix}.json`,
  /** The rows a firing sent (written before delivery): what `new_rows` compares against. */
  sentPrefix: (rule: string) => `actions/sent/${rule}/`,
  sent: (rule: string, suffix: string) => `actions/sent/${rule}/${suffix}.json`,
  scheduledSuffix: (slot: Date) => `${inverted(slot)}-schedule`,
  manualSuffix: (at: Date, trigger: 'manual' | 'test' | 'schedule', nonce: string) => `${inverted(at)}-${trigger}-${nonce}`,
};

/** `<rule>:<suffix>`: rule names never contain `:`, so the id names its record. */
export const firingIdOf = (rule: string, suffix: string): string => `${rule}:${suffix}`;

export function parseFiringId(id: string): { rule: string; suffix: string } | undefined {
  const m = /^([a-z0-9][a-z0-9_-]{0,62}):(\d{13}-(?:schedule|(?:manual|test)-[0-9a-f]{8}))$/.exec(id);
  return m ? { rule: m[1]!, suffix: m[2]! } : undefined;
}
