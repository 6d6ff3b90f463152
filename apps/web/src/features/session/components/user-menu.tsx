import { ProblemPanel, toProblem } from '../../../components/problem-panel';
import { RoleBadges } from '../../../components/role-badges';
import { TimeZoneToggle } from '../../../components/time-format-toggle';
import { useCurrentUser } from '../../../lib/session/use-me';
import { useSignOut } from '../use-sign-out';

/** Who is signed in, with which Teleport roles, and the way out (local mode; Teleport ends its own sessions). */
export function UserMenu() {
  const me = useCurrentUser();
  const signOut = useSignOut();
  return (
    <section className="user-menu" data-testid="user-menu" aria-label="Signed-in user">
      <p className="user-menu__name" title={me.username}>
        <span className="sr-only">Signed in as </span>
        {me.username}
      </p>
      <RoleBadges roles={me.roles} testId="user-roles" />
      <TimeZoneToggle />
      {me.authMode === 'local' ? (
        <button type="button" className="btn btn--ghost user-menu__sign-out" data-testid="sign-out" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </button>
      ) : (
        <p className="user-menu__note">Signed in through Teleport</p>
      )}
      {signOut.isError ? <ProblemPanel problem={toProblem(signOut.error)} testId="sign-out-problem" /> : null}
    </section>
  );
}
