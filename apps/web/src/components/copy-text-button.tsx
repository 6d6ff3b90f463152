import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copies a fixed text (a command, a role) and says so; where the clipboard is refused, says to select it by hand. */
export function CopyTextButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 4_000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy-link">
      <button type="button" className="btn btn--secondary btn--small" onClick={() => void copy()} data-testid={testId}>
        {label}
      </button>
      <span role="status" className="copy-link__status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'The browser refused the clipboard: select the text and copy it.' : null}
      </span>
    </span>
  );
}
