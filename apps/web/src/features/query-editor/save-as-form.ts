import { ProblemTypes, QUERY_NAME_RULE, QueryName } from '@access-monitor/contracts';
import { ApiError } from '../../api/client';
import { toProblem } from '../../components/problem-panel';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
const NAME_MAX = 63;
const RESERVED_NAMES: ReadonlySet<string> = new Set(['new']);

export interface SaveAsFields {
  name: string;
  title: string;
  description: string;
}

export type SaveAsErrors = Partial<Record<keyof SaveAsFields, string>>;

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The naming rule as a sentence, shown under the name field. */
export const NAME_RULE_HINT = `${capitalized(QUERY_NAME_RULE)}.`;

/**
 * Why `name` is not a valid query name, most specific reason first; undefined when `QueryName` accepts it.
 * The contract decides; the reasons only say which part of the rule (shown beside the field) was broken.
 */
export function queryNameError(name: string): string | undefined {
  // `/queries/new` is the editor itself, so a query of that name could never be opened.
  if (RESERVED_NAMES.has(name)) return `“${name}” is reserved; choose another name.`;
  if (QueryName.safeParse(name).success) return undefined;
  if (name === '') return 'Enter a name for the query.';
  if (name.length > NAME_MAX) return `The name is ${name.length} characters; at most ${NAME_MAX} are allowed.`;
  if (/[A-Z]/.test(name) && QueryName.safeParse(name.toLowerCase()).success) return 'Use lowercase letters only.';
  const stray = [...new Set([...name.replace(/[a-z0-9_-]/g, '')].map(describeCharacter))];
  if (stray.length > 0) return `${capitalized(listed(stray))} cannot be used.`;
  if (!/^[a-z0-9]/.test(name)) return 'Start the name with a letter or digit.';
  return NAME_RULE_HINT;
}

const describeCharacter = (c: string): string => (/\s/.test(c) ? 'spaces' : /[A-Z]/.test(c) ? 'uppercase letters' : `“${c}”`);
const listed = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** Field errors for the "Save as…" form; empty when it may be sent. */
export function validateSaveAs(fields: SaveAsFields): SaveAsErrors {
  const errors: SaveAsErrors = {};
  const name = queryNameError(fields.name);
  if (name) errors.name = name;
  if (fields.title.trim() === '') errors.title = 'Enter a title.';
  else if (fields.title.length > TITLE_MAX) errors.title = `At most ${TITLE_MAX} characters.`;
  if (fields.description.length > DESCRIPTION_MAX) errors.description = `At most ${DESCRIPTION_MAX} characters.`;
  return errors;
}

/** A name derived from the title (`SSH sessions without MFA` → `ssh-sessions-without-mfa`), so most users never type one. */
export function suggestQueryName(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, NAME_MAX)
    .replace(/-+$/, '');
}

/** True for the 409 a create gets when a live query already has the name. */
export const isNameTaken = (error: unknown): boolean => error instanceof ApiError && error.status === 409 && error.type === ProblemTypes.conflict;

/** What the dialog says when the save failed. */
export function saveAsFailure(error: unknown, name: string): string {
  if (isNameTaken(error)) return `A query named ${name} already exists. Choose another name.`;
  const problem = toProblem(error);
  const fieldErrors = problem.errors?.map((e) => e.message) ?? [];
  if (fieldErrors.length > 0) return `${problem.title}: ${fieldErrors.join('; ')}`;
  return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
}
