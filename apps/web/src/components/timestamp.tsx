import { parseInstant, zonedTime } from './time-format';
import { useTimeZoneMode } from './time-format-setting';

/**
 * An instant with its zone, in UTC or the viewer's zone as they chose (the other one on hover);
 * `dateTime` keeps the exact instant. Unparseable values are shown as they came.
 */
export function Timestamp({ value }: { value: string }) {
  const mode = useTimeZoneMode();
  const date = parseInstant(value);
  if (!date) return <>{value}</>;
  const { text, title } = zonedTime(date, mode);
  return (
    <time dateTime={date.toISOString()} title={title} data-zone={mode}>
      {text}
    </time>
  );
}
