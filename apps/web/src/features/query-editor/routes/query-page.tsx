import { REPORT_WINDOWS } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { PageHeader } from '../../../components/page-header';
import { WindowSelector } from '../../../components/window-selector';
import { useAccess } from '../../session/use-me';
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
        actions={<WindowSelector value={editor.days} options={REPORT_WINDOWS} onChange={editor.setDays} />}
      />
      <QueryWorkbench editor={editor} actions={canSave ? <SaveAsButton sql={editor.draft} days={editor.days} /> : null} />
    </>
  );
}
