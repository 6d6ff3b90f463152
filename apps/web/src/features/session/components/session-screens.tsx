import type { ReactNode } from 'react';
import type { Problem } from '@access-monitor/contracts';
import { BrandMark } from '../../../components/brand-mark';
import { ProblemPanel } from '../../../components/problem-panel';

/** A page of its own, outside the app shell: the login form and the screens shown before anyone is signed in. */
export function SessionScreen({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="session-screen">
      <title>{`${title} · access-monitor`}</title>
      <div className="session-screen__card card">
        <header className="session-screen__brand">
          <BrandMark size={36} />
          <div>
            <p className="session-screen__name">access-monitor</p>
            <p className="session-screen__tagline">Access Monitoring for Teleport: usage, security reports and audit queries over your audit log.</p>
          </div>
        </header>
        {children}
      </div>
    </main>
  );
}

/** Quiet placeholder while `/me` answers: no layout to jump, no text to flash. */
export function SessionLoading() {
  return (
    <div className="session-loading" role="status" data-testid="session-loading">
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">Checking your session…</span>
    </div>
  );
}

/** Teleport mode without a Teleport identity: the app was opened directly instead of through Teleport App Access. */
export function TeleportOnlyPanel() {
  return (
    <SessionScreen title="Open through Teleport">
      <section className="session-screen__body" data-testid="teleport-only-panel" aria-labelledby="teleport-only-title">
        <h1 id="teleport-only-title" className="session-screen__title">
          Open access-monitor through Teleport
        </h1>
        <p>
          This access-monitor signs you in with your Teleport identity, which Teleport Application Access adds to every request. This page was
          opened without it.
        </p>
        <p>
          Open <strong>access-monitor</strong> from the Applications list of your Teleport Web UI, or with <code>tsh apps login</code>, and your
          Teleport roles decide what you can see.
        </p>
      </section>
    </SessionScreen>
  );
}

/** `/me` failed for a reason other than a missing session: say so and offer a retry. */
export function SessionProblem({ problem, onRetry, retrying }: { problem: Problem; onRetry: () => void; retrying: boolean }) {
  return (
    <SessionScreen title="Cannot check your session">
      <div className="session-screen__body">
        <h1 className="session-screen__title">Cannot check your session</h1>
        <ProblemPanel problem={problem} testId="session-problem" />
        <div>
          <button type="button" className="btn btn--secondary" onClick={onRetry} disabled={retrying}>
            {retrying ? 'Retrying…' : 'Try again'}
          </button>
        </div>
      </div>
    </SessionScreen>
  );
}
