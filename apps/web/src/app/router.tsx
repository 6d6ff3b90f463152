import { createBrowserRouter } from 'react-router';
import { PERMISSIONS } from '@access-monitor/rbac';
import { QueryPage } from '../features/query-editor/routes/query-page';
import { RequireSession } from '../features/session/components/require-session';
import { LoginPage } from '../features/session/routes/login-page';
import { OverviewPage } from '../features/usage/routes/overview-page';
import { AppLayout } from './app-layout';
import { NotFoundPage, RouteErrorPage } from './fallback-pages';
import { PAGES } from './page-access';
import { RequirePermission } from './require-permission';

/** DESIGN §8 routes; security reports, runs, executions and actions join here as their features land. */
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
      {
        path: 'queries/new',
        element: (
          <RequirePermission permission={PAGES.auditQueries.permission} title="Audit query">
            <QueryPage />
          </RequirePermission>
        ),
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
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
