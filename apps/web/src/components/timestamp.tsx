import { formatLocal, formatUtc, parseInstant } from './time-format';

/** An instant in the viewer's zone, with UTC on hover; unparseable values are shown as they came. */
export function Timestamp({ value }: { value: string }) {
  const date = parseInstant(value);
  if (!date) return <>{value}</>;
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date)}>
      {formatLocal(date)}
    </time>
  );
}
