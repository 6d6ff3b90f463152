import { formatUtcDay } from '../../../components/time-format';
import { Timestamp } from '../../../components/timestamp';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A firing's or a preview's window: UTC days (`Nov 28 – Dec 4`) or instants, as the server gave them. */
export function WindowRange({ window }: { window: { start: string; end: string } }) {
  if (DAY.test(window.start) && DAY.test(window.end)) {
    return (
      <span title={`${window.start} – ${window.end} (UTC days)`}>
        {formatUtcDay(window.start)} – {formatUtcDay(window.end)}
      </span>
    );
  }
  return (
    <>
      <Timestamp value={window.start} /> – <Timestamp value={window.end} />
    </>
  );
}
