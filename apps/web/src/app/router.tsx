import { createBrowserRouter } from 'react-router';
import type { ReactNode } from 'react';
import { PERMISSIONS, type Permission } from '@access-monitor/rbac';
import { RequireSession } from '../features/session/components/require-session';
import { LoginPage } from '../features/session/routes/login-page';
import { OverviewPage } from '../features/usage/routes/overview-page';
import { PAGES } from '../lib/page-access';
import { AppLayout } from './app-layout';
import { NotFoundPage, RouteErrorPage } from './fallback-pages';
import { RequirePermission } from './require-permission';

/** DESIGN §8 routes; executions and actions join here as their features land. */
export const router = createBrowserRouter([
  { path: 'login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteErrorPage />,
    children: [
      {
        index: true,
        element: (
          <RequirePermission permission={PAGES.overview.permission} title={PAGES.overview.label}>
            <OverviewPage />
          </RequirePermission>
        ),
      },
      // The audit query editor and its results load on first visit (CodeMirror and the grid are their own chunks).
      {
        path: 'queries/new',
        lazy: async () => {
          const { QueryPage } = await import('../features/query-editor/routes/query-page');
          return {
            element: (
              <RequirePermission permission={PAGES.auditQueries.permission} title="Audit query">
                <QueryPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'executions',
        lazy: async () => {
          const { ExecutionHistoryPage } = await import('../features/query-editor/routes/execution-history-page');
          return {
            element: (
              <RequirePermission permission={PAGES.queryHistory.permission} title={PAGES.queryHistory.label}>
                <ExecutionHistoryPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'executions/:id',
        lazy: async () => {
          const { ExecutionPage } = await import('../features/query-editor/routes/execution-page');
          return {
            element: (
              <RequirePermission permission={PERMISSIONS.runQuery} title="Audit query result">
                <ExecutionPage />
              </RequirePermission>
            ),
          };
        },
      },
      // Saved audit queries load on first visit: most sessions never open them.
      {
        path: 'queries',
        lazy: async () => {
          const { SavedQueriesPage } = await import('../features/query-editor/routes/saved-queries-page');
          return {
            element: (
              <RequirePermission permission={PAGES.savedQueries.permission} title={PAGES.savedQueries.label}>
                <SavedQueriesPage />
              </RequirePermission>
            ),
          };
        },
      },
      {
        path: 'queries/:name',
        lazy: async () => {
          const { SavedQueryPage } = await import('../features/query-editor/routes/saved-query-page');
          return {
            element: (
              <RequirePermission permission={PERMISSIONS.viewQuery} title="Saved audit query">
                <SavedQueryPage />
              </RequirePermission>
            ),
          };
        },
      },
      // Security reports, their runs and the timeline drill-down: one lazy chunk per page.
      {
        path: 'reports',
        lazy: async () => {
          const { ReportsPage } = await import('../features/reports/routes/reports-page');
          return { element: guarded(PAGES.securityReports.permission, PAGES.securityReports.label, <ReportsPage />) };
        },
      },
      {
        path: 'reports/:name',
        lazy: async () => {
          const { ReportPage } = await import('../features/reports/routes/report-page');
          return { element: guarded(PERMISSIONS.viewReport, 'Security report', <ReportPage />) };
        },
      },
      {
        path: 'reports/:name/findings/:query',
        lazy: async () => {
          const { FindingPage } = await import('../features/reports/routes/finding-page');
          return { element: guarded(PERMISSIONS.runReport, 'Finding', <FindingPage />) };
        },
      },
      {
        path: 'runs/:runId',
        lazy: async () => {
          const { RunPage } = await import('../features/reports/routes/run-page');
          return { element: guarded(PERMISSIONS.runReport, 'Report run', <RunPage />) };
        },
      },
      {
        path: 'timeline',
        lazy: async () => {
          const { TimelinePage } = await import('../features/timeline/routes/timeline-page');
          // Raw audit events: the drill-down of a report (use on security_report) that reads the log like a query (use on audit_query).
          return { element: guarded(PERMISSIONS.runReport, 'Timeline', guarded(PERMISSIONS.runQuery, 'Timeline', <TimelinePage />)) };
        },
      },
      // Response actions: the rule list, the editor for a new rule, and one rule with its firing history.
      {
        path: 'actions',
        lazy: async () => {
          const { ActionsPage } = await import('../features/response-actions/routes/actions-page');
          return { element: guarded(PAGES.responseActions.permission, PAGES.responseActions.label, <ActionsPage />) };
        },
      },
      {
        path: 'actions/new',
        lazy: async () => {
          const { NewActionPage } = await import('../features/response-actions/routes/new-action-page');
          return { element: guarded(PERMISSIONS.createResponseAction, 'New response action', <NewActionPage />) };
        },
      },
      {
        path: 'actions/:name',
        lazy: async () => {
          const { ActionPage } = await import('../features/response-actions/routes/action-page');
          return { element: guarded(PERMISSIONS.viewResponseAction, 'Response action', <ActionPage />) };
        },
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

function guarded(permission: Permission, title: string, page: ReactNode) {
  return (
    <RequirePermission permission={permission} title={title}>
      {page}
    </RequirePermission>
  );
}
