import { useId } from 'react';
import { formatWindow } from './window-param';

interface WindowSelectorProps {
  /** Undefined: none chosen (the window is given another way, e.g. explicit dates). */
  value: number | undefined;
  options: readonly number[];
  onChange: (days: number) => void;
}

/** Segmented radio group: "7 days", "30 days", … (real radio inputs, so arrow keys move between windows). */
export function WindowSelector({ value, options, onChange }: WindowSelectorProps) {
  const name = useId();
  const choices = value === undefined || options.includes(value) ? options : [...options, value].sort((a, b) => a - b);
  return (
    <fieldset className="segmented">
      <legend className="sr-only">Time window</legend>
      {choices.map((days) => (
        <label key={days} className="segmented__option">
          <input type="radio" name={name} value={days} checked={days === value} onChange={() => onChange(days)} />
          <span>{formatWindow(days)}</span>
        </label>
      ))}
    </fieldset>
  );
}
