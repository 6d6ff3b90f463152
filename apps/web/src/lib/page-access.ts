import { allows, PERMISSIONS, type AccessChecker, type Permission } from '@access-monitor/rbac';
import { paths } from './paths';

export interface PageEntry {
  label: string;
  to: string;
  permission: Permission;
  /** Active only on exactly this path (the index). */
  end?: boolean;
}

/** The sections of the dashboard and what each needs (DESIGN §6); the sidebar, the route guards and "home" read this. */
export const PAGES = {
  // The usage charts are a report over the audit log.
  overview: { label: 'Overview', to: paths.overview(), permission: PERMISSIONS.runReport, end: true },
  securityReports: { label: 'Security reports', to: paths.reports(), permission: PERMISSIONS.listReports },
  auditQueries: { label: 'Audit queries', to: paths.newQuery(), permission: PERMISSIONS.runQuery },
  // `end`, so that it is not also active on `/queries/new`.
  savedQueries: { label: 'Saved queries', to: paths.savedQueries(), permission: PERMISSIONS.listQueries, end: true },
  // One's own runs: reading them and their results is `use` on audit_query.
  queryHistory: { label: 'Query history', to: paths.executions(), permission: PERMISSIONS.runQuery },
  responseActions: { label: 'Response actions', to: paths.actions(), permission: PERMISSIONS.listResponseActions },
} as const satisfies Record<string, PageEntry>;

const IN_NAV_ORDER: readonly PageEntry[] = [PAGES.overview, PAGES.securityReports, PAGES.auditQueries, PAGES.savedQueries, PAGES.queryHistory, PAGES.responseActions];

/** The sections this user may open, in sidebar order. */
export const allowedPages = (access: AccessChecker): PageEntry[] => IN_NAV_ORDER.filter((page) => allows(access, page.permission));

/** Where "home" is for this user: the first section they may open, else the overview (which explains what is missing). */
export const homePathFor = (access: AccessChecker): string => allowedPages(access)[0]?.to ?? paths.overview();
