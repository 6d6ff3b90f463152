import type { KeyboardEvent, Ref } from 'react';

interface SqlEditorProps {
  id: string;
  value: string;
  onChange: (sql: string) => void;
  onRun: () => void;
  invalid: boolean;
  describedBy?: string;
  ref?: Ref<HTMLTextAreaElement>;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);
export const RUN_SHORTCUT = isMac ? '⌘ Enter' : 'Ctrl+Enter';

/** Plain SQL text area (CodeMirror comes later); Ctrl/Cmd+Enter runs. Esc cancel is page-wide, see QueryPage. */
export function SqlEditor({ id, value, onChange, onRun, invalid, describedBy, ref }: SqlEditorProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  };
  return (
    <div className="sql-editor">
      <label htmlFor={id} className="field-label">
        SQL <span className="field-label__hint">Athena (Trino) dialect, one view per audit event type</span>
      </label>
      <textarea
        id={id}
        ref={ref}
        className="sql-editor__input"
        data-testid="sql-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        rows={10}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        autoComplete="off"
        aria-invalid={invalid}
        aria-describedby={describedBy}
      />
    </div>
  );
}
