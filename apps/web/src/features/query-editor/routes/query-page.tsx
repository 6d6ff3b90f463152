import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { CopyLinkButton } from '../../../components/copy-link-button';
import { PageHeader } from '../../../components/page-header';
import { useAccess } from '../../../lib/session/use-me';
import { QueryWindowPicker } from '../components/query-window-picker';
import { QueryWorkbench } from '../components/query-workbench';
import { SaveAsButton } from '../components/save-as-button';
import { useQueryEditor } from '../use-query-editor';

/** `/queries/new?sql=…&days=…`: run an audit query, watch it, page through its rows, and save it for later. */
export function QueryPage() {
  const editor = useQueryEditor();
  const canSave = allows(useAccess(), PERMISSIONS.createQuery);

  return (
    <>
      <PageHeader
        title="Audit query"
        subtitle="Run SQL over the audit log. The SQL and window are in the address, so a link reproduces the query."
        actions={
          <>
            <CopyLinkButton url={editor.linkUrl} />
            <QueryWindowPicker days={editor.days} range={editor.range} onDays={editor.setDays} onRange={editor.setRange} />
          </>
        }
      />
      <QueryWorkbench editor={editor} actions={canSave ? <SaveAsButton sql={editor.draft} days={editor.days} chart={editor.chart} /> : null} />
    </>
  );
}
