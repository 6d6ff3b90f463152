import { useId, useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { BrandMark } from '../components/brand-mark';
import { UserMenu } from '../features/session/components/user-menu';
import { allowedPages, homePathFor } from '../lib/page-access';
import { useAccess } from '../lib/session/use-me';

/** Dark sidebar with the product, the sections the user's roles allow, and who is signed in; each page renders its own header. */
export function AppLayout() {
  const access = useAccess();
  // On a phone the sections and the user menu fold behind one button, so the page starts at the top of the screen.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar" data-menu-open={menuOpen}>
        <div className="sidebar__top">
          <Link to={homePathFor(access)} className="brand">
            <BrandMark />
            <span>
              <span className="brand__name">access-monitor</span>
              <span className="brand__tag">Teleport Access Monitoring</span>
            </span>
          </Link>
          <button
            type="button"
            className="btn btn--ghost sidebar__menu-button"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((open) => !open)}
            data-testid="menu-button"
          >
            Menu
          </button>
        </div>
        <div id={menuId} className="sidebar__menu">
          <nav aria-label="Sections" className="nav" onClick={() => setMenuOpen(false)}>
            <ul>
              {allowedPages(access).map((page) => (
                <li key={page.to}>
                  <NavLink to={page.to} end={page.end} className="nav__link">
                    {page.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <UserMenu />
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
