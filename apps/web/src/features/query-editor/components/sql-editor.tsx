import { lazy, Suspense, type Ref } from 'react';
import type { AuditSchema } from '@access-monitor/contracts';
import type { Submitted } from '../use-query-editor';

// CodeMirror is its own chunk: pages that never show the editor never load it.
const CodeMirrorSqlEditor = lazy(() => import('./code-mirror-sql-editor'));

export interface SqlEditorHandle {
  focus(): void;
  /** Inserts a name at the cursor (replacing the selection), spaced from the words around it. */
  insert(text: string): void;
  select(from: number, to: number): void;
}

/** Where a server error points, underlined in the editor. */
export interface SqlDiagnostic {
  from: number;
  to: number;
  message: string;
}

export interface SqlEditorProps {
  value: string;
  onChange: (sql: string) => void;
  /** Ctrl/Cmd+Enter: the selection when there is one, else everything. */
  onRun: (selection?: Submitted) => void;
  schema: AuditSchema | undefined;
  diagnostic: SqlDiagnostic | undefined;
  labelledBy: string;
  describedBy?: string | undefined;
  ref?: Ref<SqlEditorHandle>;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);
export const RUN_SHORTCUT = isMac ? '⌘ Enter' : 'Ctrl+Enter';

/** The SQL editor with its label; CodeMirror loads behind a placeholder of the same size. Esc cancel is page-wide (useQueryEditor). */
export function SqlEditor({ id, ...props }: Omit<SqlEditorProps, 'labelledBy'> & { id: string }) {
  const labelId = `${id}-label`;
  return (
    <div className="sql-editor">
      <span id={labelId} className="field-label">
        SQL <span className="field-label__hint">Athena (Trino) dialect, one view per audit event type; Ctrl+Space completes</span>
      </span>
      <Suspense
        fallback={
          <pre className="sql-editor__loading" aria-busy="true" aria-labelledby={labelId}>
            {props.value}
          </pre>
        }
      >
        <CodeMirrorSqlEditor {...props} labelledBy={labelId} />
      </Suspense>
    </div>
  );
}
