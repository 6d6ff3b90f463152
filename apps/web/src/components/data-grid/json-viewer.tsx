import { useState } from 'react';
import { closeDialog, ModalDialog } from '../modal-dialog';
import { copyText } from './cell-text';

/** A JSON cell (`event_data`) pretty-printed in a dialog, with a copy button. */
export function JsonViewer({ title, value, onClose }: { title: string; value: unknown; onClose: () => void }) {
  const pretty = JSON.stringify(value, null, 2);
  const [copied, setCopied] = useState(false);
  return (
    <ModalDialog title={title} onClose={onClose} testId="json-viewer" className="modal--wide">
      <div className="modal__body json-viewer">
        <pre className="code-block json-viewer__code" data-testid="json-viewer-code" tabIndex={0}>
          <code>{pretty}</code>
        </pre>
        <div className="modal__actions">
          <span className="muted" role="status">
            {copied ? 'Copied' : ''}
          </span>
          <button type="button" className="btn btn--secondary" onClick={() => void copyText(pretty).then(setCopied)}>
            Copy JSON
          </button>
          <button type="button" className="btn btn--primary" data-autofocus onClick={(e) => closeDialog(e.currentTarget)}>
            Close
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
