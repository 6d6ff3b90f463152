import { z } from 'zod';

/** "the string \"read\"", "a list", … : what the author wrote, for error messages. */
export function describeValue(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (typeof input === 'string') return `the string ${JSON.stringify(input)}`;
  if (typeof input === 'number' || typeof input === 'boolean') return `the ${typeof input} ${String(input)}`;
  if (Array.isArray(input)) return 'a list';
  return 'a mapping';
}

/** Message for a value of the wrong type; a missing key says so instead. */
const wrongType =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is missing' : `must be ${expected}, not ${describeValue(issue.input)}`;

/** YAML `key:` with nothing after it is null; Teleport reads it as absent. */
const absentIfNull = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional();

const stringList = (singular: string) =>
  z
    .array(z.string({ error: wrongType('a string') }), { error: wrongType(`a list of ${singular}s`) })
    .min(1, `must list at least one ${singular}`);

const RuleSchema = z.object(
  {
    resources: stringList('resource'),
    verbs: stringList('verb'),
    where: z.string({ error: wrongType('a string') }).optional(),
    actions: z.array(z.string({ error: wrongType('a string') }), { error: wrongType('a list of strings') }).optional(),
  },
  { error: wrongType('a mapping with resources and verbs') },
);

const ConditionsSchema = z.looseObject(
  { rules: absentIfNull(z.array(RuleSchema, { error: wrongType('a list of rules') })) },
  { error: wrongType('a mapping') },
);

/** Validates one role document once `kind: role` has been checked. */
export const RoleSchema = z.looseObject({
  kind: z.literal('role'),
  version: z
    .string({ error: wrongType('a version such as v7') })
    .regex(/^v[0-9]+$/, 'must be a version such as v7')
    .optional(),
  metadata: z.looseObject(
    { name: z.string({ error: wrongType('a string') }).min(1, 'must not be empty') },
    { error: wrongType('a mapping with the role name') },
  ),
  spec: absentIfNull(
    z.looseObject(
      { allow: absentIfNull(ConditionsSchema), deny: absentIfNull(ConditionsSchema) },
      { error: wrongType('a mapping') },
    ),
  ),
});
