import {
  ACTION_WINDOWS,
  ProblemTypes,
  ResponseAction,
  ResponseActionName,
  responseActionEtag,
  SaveResponseAction,
  type ActionSource,
  type ActionWindow,
  type DestinationInfo,
} from '@access-monitor/contracts';
import { ApiError } from '../../api/client';
import type { ResponseActionAt } from '../../api/endpoints';
import { intervalMs } from './schedule-text';

const NAME_MAX = 63;
const MAX_INTERVAL_MS = 366 * 86_400_000;

/** A response action as the editor holds it: text fields as typed, choices as their radio values. */
export interface ActionForm {
  /** Only editable for a new rule: the name is the rule's address. */
  name: string;
  description: string;
  /** `finding:<report>/<finding id>` or `query:<saved audit query>`; empty until one is chosen. */
  source: string;
  window: ActionWindow;
  schedule: 'interval' | 'cron';
  interval: string;
  cron: string;
  condition: 'new_rows' | 'row_count_at_least';
  /** Comma-separated key columns of `new_rows`; empty means the finding's entity columns. */
  keyColumns: string;
  minRows: string;
  /** The checked destinations, in the order the config lists them, with their recipients as typed. */
  notifications: { name: string; recipients: string }[];
  lock: boolean;
  lockTtl: string;
  lockMessage: string;
  lockDryRun: boolean;
  enabled: boolean;
}

/** Where an error is shown: beside a field, beside one destination, or above the form. */
export type FieldKey =
  | 'name'
  | 'description'
  | 'source'
  | 'window'
  | 'schedule'
  | 'condition'
  | 'notifications'
  | `destination:${string}`
  | 'lock'
  | 'lock.ttl'
  | 'lock.message'
  | 'enabled'
  | 'form';

export type FormErrors = Partial<Record<FieldKey, string>>;

export const EMPTY_FORM: ActionForm = {
  name: '',
  description: '',
  source: '',
  window: '7d',
  schedule: 'interval',
  interval: '1h',
  cron: '0 9 * * 1-5',
  condition: 'new_rows',
  keyColumns: '',
  minRows: '1',
  notifications: [],
  lock: false,
  lockTtl: '12h',
  lockMessage: '',
  lockDryRun: true,
  enabled: true,
};

const FINDING = /^[a-z0-9_-]+\/[a-z0-9_-]+$/;

export const sourceValue = (source: ActionSource): string => ('finding' in source ? `finding:${source.finding}` : `query:${source.audit_query}`);

/** The select's value as the contract's source; a value of neither kind stays a (refused) finding, so the save names it. */
export function sourceOf(value: string): ActionSource {
  if (value.startsWith('query:')) return { audit_query: value.slice('query:'.length) };
  return { finding: value.startsWith('finding:') ? value.slice('finding:'.length) : value };
}

/** `ssh_sessions_with_weak_security` → `ssh_sessions_with_weak_security-alert`, cut to a valid name of at most 63 characters. */
export function suggestActionName(findingId: string): string {
  return `${findingId}-alert`
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, NAME_MAX)
    .replace(/[-_]+$/, '');
}

/**
 * A new rule, prefilled from `?source=<report>/<finding id>` when the user came from a finding card: named after
 * the finding, every hour over the last 7 days, new rows only, to the first destination the config declares.
 */
export function newActionForm(sourceParam: string | null, destinations: readonly DestinationInfo[]): ActionForm {
  const first = destinations[0];
  const form: ActionForm = { ...EMPTY_FORM, notifications: first ? [{ name: first.name, recipients: '' }] : [] };
  if (sourceParam && FINDING.test(sourceParam)) {
    const findingId = sourceParam.split('/')[1] ?? '';
    return { ...form, source: `finding:${sourceParam}`, name: suggestActionName(findingId) };
  }
  return form;
}

/** The editor's state for a saved revision. */
export function formFromAction(action: ResponseAction): ActionForm {
  const lock = action.response?.teleport_lock;
  return {
    name: action.name,
    description: action.description,
    source: sourceValue(action.source),
    window: action.window,
    schedule: 'interval' in action.schedule ? 'interval' : 'cron',
    interval: 'interval' in action.schedule ? action.schedule.interval : EMPTY_FORM.interval,
    cron: 'cron' in action.schedule ? action.schedule.cron : EMPTY_FORM.cron,
    condition: 'new_rows' in action.condition ? 'new_rows' : 'row_count_at_least',
    keyColumns: 'new_rows' in action.condition ? (action.condition.new_rows.key ?? []).join(', ') : '',
    minRows: 'row_count_at_least' in action.condition ? String(action.condition.row_count_at_least) : EMPTY_FORM.minRows,
    notifications: action.notifications.map((n) => ({ name: n.name, recipients: n.recipients.join(', ') })),
    lock: lock !== undefined,
    lockTtl: lock?.ttl ?? EMPTY_FORM.lockTtl,
    lockMessage: lock?.message ?? '',
    lockDryRun: lock?.dry_run ?? true,
    enabled: action.enabled,
  };
}

/** `a, b c` → `['a', 'b', 'c']`: recipients and key columns are typed as a list. */
export const splitList = (text: string): string[] => text.split(/[\s,;]+/).filter(Boolean);

/** The `PUT /actions/:name` body the form stands for (not yet judged: see `validateForm`). */
export function actionFromForm(form: ActionForm): SaveResponseAction {
  const key = splitList(form.keyColumns);
  const message = form.lockMessage.trim();
  return {
    description: form.description.trim(),
    source: sourceOf(form.source),
    window: form.window,
    schedule: form.schedule === 'interval' ? { interval: form.interval.trim() } : { cron: form.cron.trim().split(/\s+/).join(' ') },
    condition:
      form.condition === 'new_rows' ? { new_rows: key.length > 0 ? { key } : {} } : { row_count_at_least: /^\d+$/.test(form.minRows.trim()) ? Number(form.minRows) : Number.NaN },
    notifications: form.notifications.map((n) => ({ name: n.name, recipients: splitList(n.recipients) })),
    ...(form.lock ? { response: { teleport_lock: { ttl: form.lockTtl.trim(), ...(message ? { message } : {}), dry_run: form.lockDryRun } } } : {}),
    enabled: form.enabled,
  };
}

const sentence = (text: string): string => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/**
 * Where an error the contract or the server gave (`body.schedule.cron`, `notifications.0.name`, `params.name`) is
 * shown: a destination's error goes beside that destination, found by its index in the body that was sent.
 */
export function fieldOfPath(path: string, body: SaveResponseAction): FieldKey {
  const parts = path.replace(/^(body|params)\./, '').split('.');
  const [head, index, leaf] = parts;
  switch (head) {
    case 'name':
    case 'description':
    case 'source':
    case 'window':
    case 'schedule':
    case 'condition':
    case 'enabled':
      return head;
    case 'notifications': {
      const name = index !== undefined && /^\d+$/.test(index) ? body.notifications[Number(index)]?.name : undefined;
      return name !== undefined ? `destination:${name}` : 'notifications';
    }
    case 'response':
      return leaf === 'ttl' || parts.includes('ttl') ? 'lock.ttl' : parts.includes('message') ? 'lock.message' : 'lock';
    default:
      return 'form';
  }
}

/** Per-field errors (`{ path, message }` from a 400 or from the contract) placed beside their fields; several join in one line. */
export function placeErrors(errors: readonly { path: string; message: string }[], body: SaveResponseAction): FormErrors {
  const placed: FormErrors = {};
  for (const e of errors) {
    const key = fieldOfPath(e.path, body);
    const message = sentence(e.message);
    placed[key] = placed[key] && !placed[key].includes(message) ? `${placed[key]} ${message}` : message;
  }
  return placed;
}

/** Why `name` cannot name a rule, in the contract's words; undefined when it can. */
export function actionNameError(name: string): string | undefined {
  if (name === '') return 'Enter a name for the rule.';
  const parsed = ResponseActionName.safeParse(name);
  if (parsed.success) return undefined;
  if (name.length > NAME_MAX) return `The name is ${name.length} characters; at most ${NAME_MAX} are allowed.`;
  return sentence(parsed.error.issues[0]?.message ?? 'not a valid name');
}

/** Field errors for the form, most specific first; empty when it may be saved (the server still judges it). */
export function validateForm(form: ActionForm, options: { isNew: boolean }): FormErrors {
  const errors: FormErrors = {};
  if (options.isNew) {
    const name = actionNameError(form.name);
    if (name) errors.name = name;
  }
  if (form.source === '') errors.source = 'Choose a finding or a saved audit query.';
  if (form.schedule === 'interval') {
    const ms = intervalMs(form.interval);
    if (ms === undefined) errors.schedule = 'Expected an interval such as 15m, 1h or 1d.';
    else if (ms > MAX_INTERVAL_MS) errors.schedule = 'An interval is at most 366d.';
  } else if (form.cron.trim().split(/\s+/).length !== 5) {
    errors.schedule = 'A cron expression has 5 fields (minute hour day-of-month month day-of-week), in UTC.';
  }
  if (form.condition === 'row_count_at_least' && !(/^\d+$/.test(form.minRows.trim()) && Number(form.minRows) >= 1)) {
    errors.condition = 'Enter a whole number of rows, at least 1.';
  }
  if (form.lock && !/^\d+(m|h|d)$/.test(form.lockTtl.trim())) errors['lock.ttl'] = 'Expected a lock TTL such as 30m, 12h or 7d.';

  const body = actionFromForm(form);
  const parsed = SaveResponseAction.safeParse(body);
  if (!parsed.success) {
    const fromContract = placeErrors(
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      body,
    );
    for (const [key, message] of Object.entries(fromContract) as [FieldKey, string][]) errors[key] ??= message;
  }
  return errors;
}

/** True when nothing but (possibly) the name stands in the way: enough to preview what the rule would send. */
export const canPreview = (form: ActionForm): boolean => Object.keys(validateForm(form, { isNew: false })).length === 0;

/**
 * A refused save as errors beside the fields: a 400's field errors where they belong, a taken name beside the name;
 * undefined for anything else (forbidden, conflicts with a newer revision, the server down), which the page shows whole.
 */
export function saveFailureErrors(error: unknown, body: SaveResponseAction, options: { isNew: boolean; name: string }): FormErrors | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (options.isNew && error.status === 409 && error.type === ProblemTypes.conflict) {
    return { name: `A rule named ${options.name} already exists. Choose another name.` };
  }
  if (error.status !== 400) return undefined;
  const { errors, title, detail } = error.problem;
  if (!errors?.length) return { form: detail ? `${title}: ${detail}` : title };
  const placed = placeErrors(errors, body);
  if (placed.form) placed.form = `${title}: ${placed.form}`;
  return placed;
}

// ---- drafts ----

/** What the editor keeps in sessionStorage so a reload loses nothing: the form, and the revision it was based on. */
export interface ActionDraft {
  base: number | null;
  form: ActionForm;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored draft, field by field: anything missing or of the wrong type falls back to the empty form's value. */
export function parseDraft(text: string | null): ActionDraft | undefined {
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json) || !isRecord(json.form)) return undefined;
  const stored = json.form;
  const form: Record<string, unknown> = { ...EMPTY_FORM };
  for (const [key, fallback] of Object.entries(EMPTY_FORM)) {
    const value = stored[key];
    if (key === 'notifications') {
      if (Array.isArray(value)) form[key] = value.filter((n): n is { name: string; recipients: string } => isRecord(n) && typeof n.name === 'string' && typeof n.recipients === 'string');
    } else if (typeof value === typeof fallback) {
      form[key] = value;
    }
  }
  const draft = form as unknown as ActionForm;
  if (!(ACTION_WINDOWS as readonly string[]).includes(draft.window)) draft.window = EMPTY_FORM.window;
  if (draft.schedule !== 'interval' && draft.schedule !== 'cron') draft.schedule = EMPTY_FORM.schedule;
  if (draft.condition !== 'new_rows' && draft.condition !== 'row_count_at_least') draft.condition = EMPTY_FORM.condition;
  return { base: typeof json.base === 'number' ? json.base : null, form: draft };
}

export const serializeDraft = (draft: ActionDraft): string => JSON.stringify(draft);

/** True when the form says the same as the revision (or new rule) it started from. */
export const sameForm = (a: ActionForm, b: ActionForm): boolean => JSON.stringify(actionFromForm(a)) === JSON.stringify(actionFromForm(b)) && a.name === b.name;

// ---- conflicts ----

/** Someone saved the rule after this page loaded it: their revision, and its ETag to overwrite it deliberately. */
export interface ActionConflict {
  theirs: ResponseActionAt;
}

/** The conflict in a failed save, from the 409 problem's `current` (and `currentEtag`); undefined for anything else. */
export function actionConflictOf(error: unknown): ActionConflict | undefined {
  if (!(error instanceof ApiError) || error.status !== 409 || error.type !== ProblemTypes.conflict) return undefined;
  const parsed = ResponseAction.safeParse(error.problem.current);
  if (!parsed.success) return undefined;
  return { theirs: { action: parsed.data, etag: error.problem.currentEtag ?? responseActionEtag(parsed.data) } };
}
