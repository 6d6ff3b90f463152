import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { PageHeader } from '../components/page-header';
import { homePathFor } from '../lib/page-access';
import { useAccess } from '../lib/session/use-me';

export function NotFoundPage() {
  const home = homePathFor(useAccess());
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="page-body">
        <p>
          There is nothing at this address. <Link to={home}>Go to the start page</Link>.
        </p>
      </div>
    </>
  );
}

/** Last resort when a page throws while rendering: say so, and offer a way back. */
export function RouteErrorPage() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <div className="page-body">
      <title>Error · access-monitor</title>
      <h1>Something went wrong</h1>
      <div className="problem" role="alert">
        <p className="problem__title">This page failed to render.</p>
        <p className="problem__detail">{detail}</p>
      </div>
      <p>
        <a href="/">Reload the overview</a>
      </p>
    </div>
  );
}
