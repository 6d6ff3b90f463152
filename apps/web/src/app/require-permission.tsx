import type { ReactNode } from 'react';
import { allows, type Permission } from '@access-monitor/rbac';
import { ForbiddenPanel } from '../components/forbidden-panel';
import { PageHeader } from '../components/page-header';
import { allowedPages } from '../lib/page-access';
import { useAccess } from '../lib/session/use-me';

/** A page the user's roles do not allow is replaced by the forbidden panel (with the pages they can open), never left blank. */
export function RequirePermission({ permission, title, children }: { permission: Permission; title: string; children: ReactNode }) {
  const access = useAccess();
  if (allows(access, permission)) return children;
  return (
    <>
      <PageHeader title={title} />
      <div className="page-body">
        <ForbiddenPanel permission={permission} alternatives={allowedPages(access)} />
      </div>
    </>
  );
}
