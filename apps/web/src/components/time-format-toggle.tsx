import { useId } from 'react';
import { localTimeZone } from './time-format';
import { timeZoneSetting, useTimeZoneMode } from './time-format-setting';

/** Switches every displayed time between UTC and the viewer's zone; two radios, so arrow keys and Tab work as usual. */
export function TimeZoneToggle() {
  const mode = useTimeZoneMode();
  const name = useId();
  const zone = localTimeZone();
  return (
    <fieldset className="time-zone-toggle" data-testid="time-zone-toggle">
      <legend className="time-zone-toggle__legend">Show times in</legend>
      <label className="time-zone-toggle__option">
        <input type="radio" name={name} value="utc" checked={mode === 'utc'} onChange={() => timeZoneSetting.set('utc')} />
        UTC
      </label>
      <label className="time-zone-toggle__option" title={zone}>
        <input type="radio" name={name} value="local" checked={mode === 'local'} onChange={() => timeZoneSetting.set('local')} />
        Local<span className="sr-only"> time ({zone})</span>
      </label>
    </fieldset>
  );
}
