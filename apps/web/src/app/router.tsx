import { createBrowserRouter } from 'react-router';
import { QueryPage } from '../features/query-editor/routes/query-page';
import { OverviewPage } from '../features/usage/routes/overview-page';
import { AppLayout } from './app-layout';
import { NotFoundPage, RouteErrorPage } from './fallback-pages';

/** DESIGN §8 routes; security reports, runs, executions and actions join here as their features land. */
export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'queries/new', element: <QueryPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
