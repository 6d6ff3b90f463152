import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FindingEntity, SaveTriage, TriageStatus } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { ApiError } from '../../../api/client';
import { closeDialog, ModalDialog } from '../../../components/modal-dialog';
import { toProblem } from '../../../components/problem-panel';
import { reportKeys } from '../api';
import { DEFAULT_ACCEPT_DAYS, describeEntity, fieldProblem, utcDayAfter } from '../triage-view';

/** The entity a triage dialog is about, and what the user chose to do with it. */
export interface TriageIntent {
  status: TriageStatus;
  entity: FindingEntity;
}

interface TriageDialogProps extends TriageIntent {
  report: string;
  findingId: string;
  findingTitle: string;
  onClose: () => void;
}

const TITLES: Record<TriageStatus, string> = { accepted_risk: 'Accept risk', false_positive: 'Mark as false positive', open: 'Reopen' };
const REASON_MAX = 2000;

/** Asks why (and, for an accepted risk, until when), then saves one triage revision of the entity; Esc or Cancel closes it. */
export function TriageDialog({ report, findingId, findingTitle, status, entity, onClose }: TriageDialogProps) {
  const queryClient = useQueryClient();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const today = utcDayAfter(new Date(), 0);
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(() => utcDayAfter(new Date(), DEFAULT_ACCEPT_DAYS));
  const [submitted, setSubmitted] = useState(false);

  const save = useMutation({
    mutationFn: (body: SaveTriage) => api.saveTriage(report, findingId, body),
    onSuccess: async () => {
      // Counts and row statuses of every run of the report change, and the log has a new entry.
      await Promise.all([queryClient.invalidateQueries({ queryKey: reportKeys.runs() }), queryClient.invalidateQueries({ queryKey: reportKeys.triage(report) })]);
      closeDialog(formRef.current);
    },
  });

  const reasonError = submitted && reason.trim() === '' ? 'Say why, for whoever reads the triage log.' : undefined;
  const problem = save.error instanceof ApiError ? save.error.problem : undefined;
  const expiresError = (submitted && status === 'accepted_risk' && expires === '' ? 'Choose the last day the risk is accepted.' : undefined) ?? fieldProblem(problem, 'expires');
  const otherError = save.isError && !fieldProblem(problem, 'expires') ? toProblem(save.error) : undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (reason.trim() === '' || (status === 'accepted_risk' && expires === '')) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (!save.isPending) save.mutate({ entity, status, reason: reason.trim(), ...(status === 'accepted_risk' ? { expires } : {}) });
  };

  const who = describeEntity(entity);
  return (
    <ModalDialog title={TITLES[status]} onClose={onClose} testId="triage-dialog">
      <form ref={formRef} className="modal__body" onSubmit={submit} noValidate>
        <p className="muted">
          {status === 'open'
            ? `Rows of “${findingTitle}” for ${who} count as open findings again.`
            : status === 'accepted_risk'
              ? `Rows of “${findingTitle}” for ${who} stop counting as open findings until the day you choose; the day after, they return by themselves.`
              : `Rows of “${findingTitle}” for ${who} stop counting as open findings until someone reopens them.`}
        </p>
        <div className="form-field">
          <label className="field-label" htmlFor={`${id}-reason`}>
            Reason
          </label>
          <textarea
            id={`${id}-reason`}
            className="input"
            rows={3}
            data-autofocus
            data-testid="triage-reason"
            value={reason}
            maxLength={REASON_MAX}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${id}-reason-error` : undefined}
          />
          {reasonError ? (
            <p id={`${id}-reason-error`} className="form-field__error">
              {reasonError}
            </p>
          ) : null}
        </div>
        {status === 'accepted_risk' ? (
          <div className="form-field">
            <label className="field-label" htmlFor={`${id}-expires`}>
              Accepted until <span className="field-label__hint">last day, UTC</span>
            </label>
            <input
              id={`${id}-expires`}
              type="date"
              className="input"
              data-testid="triage-expires"
              value={expires}
              min={today}
              onChange={(e) => {
                setExpires(e.target.value);
                if (save.isError) save.reset();
              }}
              aria-invalid={expiresError ? true : undefined}
              aria-describedby={`${id}-expires-hint${expiresError ? ` ${id}-expires-error` : ''}`}
            />
            <p id={`${id}-expires-hint`} className="form-field__hint">
              The rows count as open again from the next day.
            </p>
            {expiresError ? (
              <p id={`${id}-expires-error`} className="form-field__error" role="alert" data-testid="triage-expires-error">
                {expiresError}
              </p>
            ) : null}
          </div>
        ) : null}
        {otherError ? (
          <p className="form-error" role="alert" data-testid="triage-error">
            {otherError.title}
            {otherError.detail ? `: ${otherError.detail}` : ''}
          </p>
        ) : null}
        <div className="modal__actions">
          <button type="button" className="btn btn--secondary" onClick={(e) => closeDialog(e.currentTarget)}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" data-testid="triage-submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : TITLES[status]}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
