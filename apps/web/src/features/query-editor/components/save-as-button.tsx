import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChartSpec } from '@access-monitor/contracts';
import { useNavigate } from 'react-router';
import { api, type SavedQueryAt } from '../../../api/endpoints';
import { closeDialog, ModalDialog } from '../../../components/modal-dialog';
import { formatWindow } from '../../../components/window-param';
import { paths } from '../../../lib/paths';
import { savedQueryKeys } from '../api';
import { DESCRIPTION_MAX, NAME_RULE_HINT, saveAsFailure, suggestQueryName, TITLE_MAX, validateSaveAs, type SaveAsErrors, type SaveAsFields } from '../save-as-form';

interface SaveAsButtonProps {
  /** What gets saved: the SQL on screen and the window it runs over. */
  sql: string;
  days: number;
  /** The chart drawn from the result, saved with the query. */
  chart?: ChartSpec | null;
  /** Starting title and description, when saving a copy of a saved query. */
  initial?: { title: string; description: string };
}

/** "Save as…": names the SQL on screen and saves it as a new audit query (`If-None-Match: *`), then opens it. */
export function SaveAsButton({ sql, days, chart = null, initial }: SaveAsButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn--secondary" data-testid="save-query" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Save as…
      </button>
      {open ? <SaveAsDialog sql={sql} days={days} chart={chart} initial={initial} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SaveAsDialog({ sql, days, chart = null, initial, onClose }: SaveAsButtonProps & { onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [fields, setFields] = useState<SaveAsFields>(() => ({
    title: initial?.title ?? '',
    name: initial ? suggestQueryName(initial.title) : '',
    description: initial?.description ?? '',
  }));
  // The name follows the title until the user types one.
  const [nameEdited, setNameEdited] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  const save = useMutation({
    mutationFn: (body: SaveAsFields) =>
      api.saveQuery(body.name, { title: body.title.trim(), description: body.description, sql, days, chart }, { create: true }),
    onSuccess: (saved: SavedQueryAt) => {
      queryClient.setQueryData(savedQueryKeys.detail(saved.query.name), saved);
      void queryClient.invalidateQueries({ queryKey: savedQueryKeys.list() });
      void navigate(paths.savedQuery(saved.query.name, { days: saved.query.days }));
    },
  });

  const errors = validateSaveAs(fields);
  // A name is judged as it is typed; the other fields once the user tried to save.
  const shown: SaveAsErrors = {
    name: submitted || fields.name !== '' ? errors.name : undefined,
    title: submitted ? errors.title : undefined,
    description: submitted ? errors.description : undefined,
  };

  const setTitle = (title: string) => setFields((f) => ({ ...f, title, name: nameEdited ? f.name : suggestQueryName(title) }));
  const setName = (name: string) => {
    setNameEdited(true);
    setFields((f) => ({ ...f, name }));
    // "already exists" was about the previous name.
    if (save.isError) save.reset();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (!save.isPending) save.mutate(fields);
  };

  const field = (name: keyof SaveAsFields) => ({ id: `${id}-${name}`, errorId: `${id}-${name}-error`, hintId: `${id}-${name}-hint` });
  const titleIds = field('title');
  const nameIds = field('name');
  const descriptionIds = field('description');
  const describedBy = (ids: { errorId: string; hintId?: string }, error: string | undefined, hint = false) =>
    [error ? ids.errorId : undefined, hint ? ids.hintId : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <ModalDialog title="Save audit query" onClose={onClose} testId="save-dialog">
      <form ref={formRef} className="modal__body save-form" onSubmit={submit} noValidate>
        <p className="muted">
          Saves the SQL in the editor with a window of {formatWindow(days)}. Everyone who may read audit queries will see it.
        </p>
        <div className="form-field">
          <label className="field-label" htmlFor={titleIds.id}>
            Title
          </label>
          <input
            id={titleIds.id}
            className="input"
            data-testid="save-title"
            data-autofocus
            value={fields.title}
            maxLength={TITLE_MAX}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={shown.title ? true : undefined}
            aria-describedby={describedBy(titleIds, shown.title)}
          />
          <FieldError id={titleIds.errorId} message={shown.title} />
        </div>
        <div className="form-field">
          <label className="field-label" htmlFor={nameIds.id}>
            Name <span className="field-label__hint">used in the address: /queries/{fields.name || 'name'}</span>
          </label>
          <input
            id={nameIds.id}
            className="input input--mono"
            data-testid="save-name"
            value={fields.name}
            onChange={(e) => setName(e.target.value)}
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={shown.name ? true : undefined}
            aria-describedby={describedBy(nameIds, shown.name, true)}
          />
          <p id={nameIds.hintId} className="form-field__hint">
            {NAME_RULE_HINT}
          </p>
          <FieldError id={nameIds.errorId} message={shown.name} testId="save-name-error" />
        </div>
        <div className="form-field">
          <label className="field-label" htmlFor={descriptionIds.id}>
            Description <span className="field-label__hint">optional</span>
          </label>
          <textarea
            id={descriptionIds.id}
            className="input"
            data-testid="save-description"
            rows={3}
            value={fields.description}
            maxLength={DESCRIPTION_MAX}
            onChange={(e) => setFields((f) => ({ ...f, description: e.target.value }))}
            aria-invalid={shown.description ? true : undefined}
            aria-describedby={describedBy(descriptionIds, shown.description)}
          />
          <FieldError id={descriptionIds.errorId} message={shown.description} />
        </div>
        {save.isError ? (
          <p className="form-error" role="alert" data-testid="save-error">
            {saveAsFailure(save.error, save.variables.name)}
          </p>
        ) : null}
        <div className="modal__actions">
          <button type="button" className="btn btn--secondary" onClick={(e) => closeDialog(e.currentTarget)}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" data-testid="save-submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

function FieldError({ id, message, testId }: { id: string; message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="form-field__error" data-testid={testId}>
      {message}
    </p>
  );
}
