import { useEffect, useRef, useState } from 'react';

type CopyState = { kind: 'idle' } | { kind: 'copied' } | { kind: 'manual'; url: string };

interface CopyLinkButtonProps {
  label?: string;
  /** The link, when the address lags what is on screen (SQL still being typed); the address unless given. */
  url?: () => string;
}

/**
 * Copies the address of this view (its whole state is in the URL) and says so. Where the clipboard is not
 * available (an insecure origin, a denied permission), shows the link selected for copying by hand.
 */
export function CopyLinkButton({ label = 'Copy link', url: urlOf }: CopyLinkButtonProps) {
  const [state, setState] = useState<CopyState>({ kind: 'idle' });
  const manualInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.kind !== 'copied') return;
    const timer = setTimeout(() => setState({ kind: 'idle' }), 4_000);
    return () => clearTimeout(timer);
  }, [state]);

  useEffect(() => {
    if (state.kind === 'manual') manualInput.current?.select();
  }, [state]);

  const copy = async () => {
    const url = urlOf?.() ?? window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setState({ kind: 'copied' });
    } catch {
      setState({ kind: 'manual', url });
    }
  };

  return (
    <span className="copy-link">
      <button type="button" className="btn btn--secondary" onClick={() => void copy()} data-testid="copy-link">
        {label}
      </button>
      <span role="status" className="copy-link__status" data-testid="copy-link-status">
        {state.kind === 'copied' ? 'Copied' : null}
      </span>
      {state.kind === 'manual' ? (
        <label className="copy-link__manual">
          <span className="sr-only">Link to this view</span>
          <input ref={manualInput} className="input input--mono" readOnly value={state.url} onBlur={() => setState({ kind: 'idle' })} />
        </label>
      ) : null}
    </span>
  );
}
