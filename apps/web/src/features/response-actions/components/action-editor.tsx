import { useEffect, useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ACTION_WINDOWS, type ActionSchedule, type DestinationInfo } from '@access-monitor/contracts';
import { Timestamp } from '../../../components/timestamp';
import type { ActionForm, FieldKey, FormErrors } from '../action-form';
import { describeWindow, nextIntervalFirings } from '../schedule-text';
import { useActionSources } from '../use-action-sources';

export interface ActionEditorProps {
  form: ActionForm;
  onChange: (update: (form: ActionForm) => ActionForm) => void;
  /** Only a new rule has a name field: the name is the rule's address. */
  isNew: boolean;
  /** For those who may read rules but not change them: every field shown, none editable. */
  readOnly: boolean;
  errors: FormErrors;
  destinations: readonly DestinationInfo[];
  /** The saved schedule and when the server says it fires next (cron firings are the server's to compute). */
  saved?: { schedule: ActionSchedule; nextFiringAt: string | null; enabled: boolean };
  onSubmit: () => void;
  /** Save button, status: under the fields. */
  footer?: ReactNode;
}

const RECIPIENT_HINTS: Record<DestinationInfo['type'], string> = {
  webhook: 'Optional: passed along in the payload.',
  slack: 'Channels, e.g. #soc; empty: the webhook’s own channel.',
  email: 'Addresses; empty: the to: list in the config.',
  pagerduty: 'Optional: passed along in the event.',
};

/** The rule editor: what it runs, when, on which condition, where it sends, and whether it locks users. */
export function ActionEditor({ form, onChange, isNew, readOnly, errors, destinations, saved, onSubmit, footer }: ActionEditorProps) {
  const id = useId();
  const sources = useActionSources();
  const set = <K extends keyof ActionForm>(key: K, value: ActionForm[K]) => onChange((f) => ({ ...f, [key]: value }));
  const ids = (key: string) => ({ input: `${id}-${key}`, error: `${id}-${key}-error`, hint: `${id}-${key}-hint` });
  const invalid = (key: FieldKey, hint?: string) => ({
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': [errors[key] ? ids(key).error : undefined, hint].filter(Boolean).join(' ') || undefined,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!readOnly) onSubmit();
  };
  // Ctrl/Cmd+S saves, as in the audit query editor; the browser's "save page" is never what is meant here.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (!readOnly) onSubmit();
    }
  };

  // Config destinations first, then any the rule names that the config no longer declares.
  const known = new Set(destinations.map((d) => d.name));
  const listed: { name: string; type?: DestinationInfo['type'] }[] = [
    ...destinations,
    ...form.notifications.filter((n) => !known.has(n.name)).map((n) => ({ name: n.name })),
  ];
  const order = new Map(listed.map((d, i) => [d.name, i]));
  const toggleDestination = (name: string, checked: boolean) =>
    onChange((f) => ({
      ...f,
      notifications: checked
        ? [...f.notifications.filter((n) => n.name !== name), { name, recipients: '' }].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0))
        : f.notifications.filter((n) => n.name !== name),
    }));
  const setRecipients = (name: string, recipients: string) =>
    onChange((f) => ({ ...f, notifications: f.notifications.map((n) => (n.name === name ? { ...n, recipients } : n)) }));

  const sourceKnown = form.source === '' || sources.groups.some((g) => g.choices.some((c) => c.value === form.source));

  return (
    <form className="action-editor" onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label="Rule" data-testid="action-editor">
      {errors.form ? (
        <p className="form-error" role="alert" data-testid="form-error">
          {errors.form}
        </p>
      ) : null}
      <fieldset className="action-editor__fields" disabled={readOnly}>
        <legend className="sr-only">Rule settings</legend>

        <section className="card action-editor__section" aria-labelledby={`${id}-what`}>
          <h2 id={`${id}-what`} className="action-editor__heading">
            What it runs
          </h2>
          {isNew ? (
            <div className="form-field">
              <label className="field-label" htmlFor={ids('name').input}>
                Name <span className="field-label__hint">the rule’s address: /actions/{form.name || 'name'}</span>
              </label>
              <input
                id={ids('name').input}
                className="input input--mono"
                data-testid="action-name"
                value={form.name}
                onChange={(e) => set('name', e.target.value)}
                autoCapitalize="none"
                autoComplete="off"
                spellCheck={false}
                {...invalid('name')}
              />
              <FieldError id={ids('name').error} message={errors.name} testId="action-name-error" />
            </div>
          ) : null}
          <div className="form-field">
            <label className="field-label" htmlFor={ids('description').input}>
              Description <span className="field-label__hint">optional</span>
            </label>
            <textarea
              id={ids('description').input}
              className="input"
              rows={2}
              maxLength={2000}
              value={form.description}
              onChange={(e) => set('description', e.target.value)}
              {...invalid('description')}
            />
            <FieldError id={ids('description').error} message={errors.description} />
          </div>
          <div className="action-editor__row">
            <div className="form-field action-editor__grow">
              <label className="field-label" htmlFor={ids('source').input}>
                Source <span className="field-label__hint">a finding of a security report, or a saved audit query</span>
              </label>
              <select
                id={ids('source').input}
                className="input"
                data-testid="action-source"
                value={form.source}
                onChange={(e) => set('source', e.target.value)}
                {...invalid('source')}
              >
                <option value="">{sources.loading ? 'Loading findings…' : 'Choose…'}</option>
                {!sourceKnown ? <option value={form.source}>{form.source.replace(/^(finding|query):/, '')}</option> : null}
                {sources.groups.map((group) => (
                  <optgroup key={group.label} label={group.label}>
                    {group.choices.map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.title}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
              <FieldError id={ids('source').error} message={errors.source} />
            </div>
            <div className="form-field">
              <label className="field-label" htmlFor={ids('window').input}>
                Window
              </label>
              <select
                id={ids('window').input}
                className="input"
                data-testid="action-window"
                value={form.window}
                onChange={(e) => set('window', e.target.value as ActionForm['window'])}
                {...invalid('window')}
              >
                {ACTION_WINDOWS.map((w) => (
                  <option key={w} value={w}>
                    {describeWindow(w)}
                  </option>
                ))}
              </select>
              <FieldError id={ids('window').error} message={errors.window} />
            </div>
          </div>
        </section>

        <section className="card action-editor__section" aria-labelledby={`${id}-when`}>
          <h2 id={`${id}-when`} className="action-editor__heading">
            When it fires
          </h2>
          <fieldset className="action-editor__choice">
            <legend className="field-label">Schedule</legend>
            <label className="check">
              <input type="radio" name={`${id}-schedule`} checked={form.schedule === 'interval'} onChange={() => set('schedule', 'interval')} />
              Every
            </label>
            <label className="check">
              <input type="radio" name={`${id}-schedule`} checked={form.schedule === 'cron'} onChange={() => set('schedule', 'cron')} />
              Cron (UTC)
            </label>
          </fieldset>
          <div className="form-field">
            {form.schedule === 'interval' ? (
              <>
                <label className="field-label" htmlFor={ids('schedule').input}>
                  Interval <span className="field-label__hint">15m, 1h, 1d; aligned to UTC (every 1h fires on the hour)</span>
                </label>
                <input
                  id={ids('schedule').input}
                  className="input input--mono action-editor__short"
                  data-testid="action-interval"
                  value={form.interval}
                  onChange={(e) => set('interval', e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  {...invalid('schedule', ids('schedule').hint)}
                />
              </>
            ) : (
              <>
                <label className="field-label" htmlFor={ids('schedule').input}>
                  Cron expression <span className="field-label__hint">minute hour day-of-month month day-of-week, in UTC</span>
                </label>
                <input
                  id={ids('schedule').input}
                  className="input input--mono"
                  data-testid="action-cron"
                  value={form.cron}
                  onChange={(e) => set('cron', e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  {...invalid('schedule', ids('schedule').hint)}
                />
              </>
            )}
            <NextFirings id={ids('schedule').hint} form={form} saved={saved} />
            <FieldError id={ids('schedule').error} message={errors.schedule} testId="schedule-error" />
          </div>
          <fieldset className="action-editor__choice" aria-describedby={errors.condition ? ids('condition').error : undefined}>
            <legend className="field-label">Condition</legend>
            <div className="action-editor__option">
              <label className="check">
                <input type="radio" name={`${id}-condition`} checked={form.condition === 'new_rows'} onChange={() => set('condition', 'new_rows')} />
                New rows only <span className="muted">(rows never sent before by this rule)</span>
              </label>
              {form.condition === 'new_rows' ? (
                <div className="form-field action-editor__nested">
                  <label className="field-label" htmlFor={ids('key').input}>
                    Key columns <span className="field-label__hint">optional, comma-separated; default: the finding’s entity columns</span>
                  </label>
                  <input
                    id={ids('key').input}
                    className="input input--mono"
                    value={form.keyColumns}
                    onChange={(e) => set('keyColumns', e.target.value)}
                    placeholder="user, session_id"
                    autoComplete="off"
                    spellCheck={false}
                  />
                </div>
              ) : null}
            </div>
            <div className="action-editor__option">
              <label className="check">
                <input
                  type="radio"
                  name={`${id}-condition`}
                  checked={form.condition === 'row_count_at_least'}
                  onChange={() => set('condition', 'row_count_at_least')}
                />
                Row count at least
              </label>
              {form.condition === 'row_count_at_least' ? (
                <div className="form-field action-editor__nested">
                  <label className="field-label" htmlFor={ids('condition').input}>
                    Minimum rows
                  </label>
                  <input
                    id={ids('condition').input}
                    className="input action-editor__short"
                    inputMode="numeric"
                    value={form.minRows}
                    onChange={(e) => set('minRows', e.target.value)}
                    {...invalid('condition')}
                  />
                </div>
              ) : null}
            </div>
            <FieldError id={ids('condition').error} message={errors.condition} />
          </fieldset>
        </section>

        <section className="card action-editor__section" aria-labelledby={`${id}-where`}>
          <h2 id={`${id}-where`} className="action-editor__heading">
            Where it sends
          </h2>
          {listed.length === 0 ? (
            <p className="muted" data-testid="no-destinations">
              The config declares no destinations: add them under <code>actions.destinations</code>.
            </p>
          ) : (
            <ul className="destination-list" aria-label="Destinations">
              {listed.map((dest) => {
                const chosen = form.notifications.find((n) => n.name === dest.name);
                const key: FieldKey = `destination:${dest.name}`;
                const d = ids(`dest-${dest.name}`);
                return (
                  <li key={dest.name} className="destination-list__item" data-testid={`destination-${dest.name}`}>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={chosen !== undefined}
                        onChange={(e) => toggleDestination(dest.name, e.target.checked)}
                        aria-describedby={errors[key] ? d.error : undefined}
                      />
                      <span className="mono">{dest.name}</span>
                      {dest.type ? <span className="destination-list__type">{dest.type}</span> : <span className="destination-list__missing">not in the config</span>}
                    </label>
                    {chosen ? (
                      <div className="form-field action-editor__nested">
                        <label className="field-label" htmlFor={d.input}>
                          Recipients <span className="sr-only">for {dest.name}</span>
                        </label>
                        <input
                          id={d.input}
                          className="input"
                          value={chosen.recipients}
                          onChange={(e) => setRecipients(dest.name, e.target.value)}
                          autoComplete="off"
                          aria-invalid={errors[key] ? true : undefined}
                          aria-describedby={[d.hint, errors[key] ? d.error : undefined].filter(Boolean).join(' ')}
                        />
                        <p id={d.hint} className="form-field__hint">
                          {dest.type ? RECIPIENT_HINTS[dest.type] : 'This destination is not declared under actions.destinations any more.'}
                        </p>
                      </div>
                    ) : null}
                    <FieldError id={d.error} message={errors[key]} />
                  </li>
                );
              })}
            </ul>
          )}
          <FieldError id={ids('notifications').error} message={errors.notifications} />
        </section>

        <section className="card action-editor__section" aria-labelledby={`${id}-respond`}>
          <h2 id={`${id}-respond`} className="action-editor__heading">
            Response <span className="field-label__hint">optional</span>
          </h2>
          <label className="check">
            <input type="checkbox" checked={form.lock} onChange={(e) => set('lock', e.target.checked)} data-testid="action-lock" />
            Lock each user in the rows in Teleport with <code>tctl lock</code>
          </label>
          {form.lock ? (
            <div className="action-editor__nested action-editor__lock">
              <div className="action-editor__row">
                <div className="form-field">
                  <label className="field-label" htmlFor={ids('lock.ttl').input}>
                    Lock TTL <span className="field-label__hint">30m, 12h, 7d</span>
                  </label>
                  <input
                    id={ids('lock.ttl').input}
                    className="input input--mono action-editor__short"
                    value={form.lockTtl}
                    onChange={(e) => set('lockTtl', e.target.value)}
                    autoComplete="off"
                    spellCheck={false}
                    {...invalid('lock.ttl')}
                  />
                  <FieldError id={ids('lock.ttl').error} message={errors['lock.ttl']} />
                </div>
                <div className="form-field action-editor__grow">
                  <label className="field-label" htmlFor={ids('lock.message').input}>
                    Message <span className="field-label__hint">optional, shown to the locked user</span>
                  </label>
                  <input
                    id={ids('lock.message').input}
                    className="input"
                    maxLength={500}
                    value={form.lockMessage}
                    onChange={(e) => set('lockMessage', e.target.value)}
                    {...invalid('lock.message')}
                  />
                  <FieldError id={ids('lock.message').error} message={errors['lock.message']} />
                </div>
              </div>
              <label className="check">
                <input type="checkbox" checked={form.lockDryRun} onChange={(e) => set('lockDryRun', e.target.checked)} data-testid="action-lock-dry-run" />
                Dry run: record the <code>tctl</code> command, do not lock anyone
              </label>
              {!form.lockDryRun ? (
                <p className="notice" role="note" data-testid="lock-live-warning">
                  Not a dry run: every firing of this rule locks each user in its rows for {form.lockTtl || 'the TTL'}, cutting off their sessions.
                  Test fires still only dry-run.
                </p>
              ) : null}
            </div>
          ) : null}
          <FieldError id={ids('lock').error} message={errors.lock} />
        </section>

        <section className="card action-editor__section">
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="action-enabled" />
            Enabled <span className="muted">(a paused rule keeps its history and can still be test-fired)</span>
          </label>
        </section>
      </fieldset>
      {footer ? <div className="action-editor__footer">{footer}</div> : null}
    </form>
  );
}

/** The next three firings of an interval (computed here, as the server aligns them), or the server's next one for cron. */
function NextFirings({ id, form, saved }: { id: string; form: ActionForm; saved: ActionEditorProps['saved'] }) {
  const now = useNow(30_000);
  if (!form.enabled) {
    return (
      <p id={id} className="form-field__hint">
        Paused: it fires only when enabled.
      </p>
    );
  }
  if (form.schedule === 'interval') {
    const next = nextIntervalFirings(form.interval, now, 3);
    if (next.length === 0) return <p id={id} className="form-field__hint" />;
    return (
      <p id={id} className="form-field__hint" data-testid="next-firings">
        Next firings:{' '}
        {next.map((d, i) => (
          <span key={d.getTime()}>
            {i > 0 ? ', ' : null}
            <Timestamp value={d.toISOString()} />
          </span>
        ))}
      </p>
    );
  }
  const unchanged = saved && 'cron' in saved.schedule && saved.schedule.cron === form.cron.trim().split(/\s+/).join(' ') && saved.enabled;
  return (
    <p id={id} className="form-field__hint" data-testid="next-firings">
      {unchanged && saved.nextFiringAt ? (
        <>
          Next firing: <Timestamp value={saved.nextFiringAt} />
        </>
      ) : (
        'The server computes cron firings: the next one shows here once the rule is saved.'
      )}
    </p>
  );
}

function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function FieldError({ id, message, testId }: { id: string; message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="form-field__error" data-testid={testId}>
      {message}
    </p>
  );
}
