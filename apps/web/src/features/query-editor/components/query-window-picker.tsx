import { useId, useState, type FormEvent } from 'react';
import { MAX_WINDOW_DAYS, REPORT_WINDOWS, windowDays, type DateWindow } from '@access-monitor/contracts';
import { WindowSelector } from '../../../components/window-selector';
import { parseRange } from '../use-query-page-params';

interface QueryWindowPickerProps {
  days: number;
  /** Explicit dates, when the window is not "N days ending today". */
  range: DateWindow | undefined;
  onDays: (days: number) => void;
  onRange: (range: DateWindow) => void;
}

/** Teleport's windows (7, 30, 90, 120 days ending today) or explicit UTC dates. */
export function QueryWindowPicker({ days, range, onDays, onRange }: QueryWindowPickerProps) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [start, setStart] = useState(range?.start ?? '');
  const [end, setEnd] = useState(range?.end ?? '');
  const chosen = parseRange(start, end);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    onRange(chosen);
    setEditing(false);
  };

  return (
    <div className="window-picker">
      {range ? (
        <span className="window-picker__range" data-testid="window-range">
          {range.start} – {range.end} <abbr title="Audit days are calendar days in UTC">UTC</abbr>
        </span>
      ) : null}
      <WindowSelector value={range ? undefined : days} options={REPORT_WINDOWS} onChange={onDays} />
      <button type="button" className="btn btn--ghost btn--small" aria-expanded={editing} aria-controls={`${id}-dates`} onClick={() => setEditing((e) => !e)}>
        Dates…
      </button>
      {editing ? (
        <form id={`${id}-dates`} className="window-picker__dates" onSubmit={apply}>
          <label>
            From <input type="date" className="input" value={start} onChange={(e) => setStart(e.target.value)} required data-testid="window-start" />
          </label>
          <label>
            to <input type="date" className="input" value={end} onChange={(e) => setEnd(e.target.value)} required data-testid="window-end" />
          </label>
          <button type="submit" className="btn btn--secondary btn--small" disabled={!chosen}>
            Apply
          </button>
          {start && end && !chosen ? (
            <span className="form-field__error">
              {start > end ? 'The start is after the end.' : `At most ${MAX_WINDOW_DAYS} days.`}
            </span>
          ) : chosen ? (
            <span className="muted">{windowDays(chosen)} days</span>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
