import { Link, NavLink, Outlet } from 'react-router';
import { paths } from './paths';

/** Dark sidebar with the product and its sections; each page renders its own header with the controls that apply. */
export function AppLayout() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link to={paths.overview()} className="brand">
          <BrandMark />
          <span>
            <span className="brand__name">access-monitor</span>
            <span className="brand__tag">Teleport Access Monitoring</span>
          </span>
        </Link>
        <nav aria-label="Sections" className="nav">
          <ul>
            <li>
              <NavLink to={paths.overview()} end className="nav__link">
                Overview
              </NavLink>
            </li>
            <li>
              <NavLink to={paths.newQuery()} className="nav__link">
                Audit queries
              </NavLink>
            </li>
            <li>
              {/* Security reports arrive with the reports feature. */}
              <span className="nav__link nav__link--soon" aria-disabled="true">
                Security reports <span className="nav__badge">soon</span>
              </span>
            </li>
          </ul>
        </nav>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function BrandMark() {
  return (
    <svg className="brand__mark" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="currentColor" opacity="0.25" />
      <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M7.5 13.5h2l1.5-3 2 5 1.5-2h2" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
