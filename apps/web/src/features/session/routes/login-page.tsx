import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useSearchParams } from 'react-router';
import type { LoginRequest, Me } from '@access-monitor/contracts';
import { api } from '../../../api/endpoints';
import { homePathFor } from '../../../lib/page-access';
import { accessOf } from '../../../lib/session/access';
import { authModeOptions, meOptions, sessionKeys } from '../../../lib/session/api';
import { isUnauthenticated } from '../../../lib/session/session-problems';
import { SessionLoading, SessionScreen, TeleportOnlyPanel } from '../components/session-screens';
import { loginFailure } from '../login-error';
import { safeNextPath } from '../next-path';

/** `/login?next=/queries/new…`: local-mode sign-in; afterwards the user continues where they were going. */
export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const queryClient = useQueryClient();
  // The session guard that sent the user here already heard 401 from /me: asking again would only log another one.
  const me = useQuery({ ...meOptions(), retryOnMount: false });
  const mode = useQuery({ ...authModeOptions(), enabled: isUnauthenticated(me.error) });

  const login = useMutation({
    mutationKey: sessionKeys.login(),
    mutationFn: (body: LoginRequest) => api.login(body),
    onSuccess: (user: Me) => {
      // Nothing cached for whoever was signed in before may show for this user.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
      queryClient.setQueryData(sessionKeys.me(), user);
      void queryClient.invalidateQueries({ queryKey: sessionKeys.me() });
    },
  });

  // Signed in (already, or just now): continue. The render below does it, so there is one way out of this page.
  if (me.data && !me.isError) return <Navigate to={next ?? homePathFor(accessOf(me.data))} replace />;
  if (me.isPending) return <SessionLoading />;

  const failure = login.isError ? loginFailure(login.error) : undefined;
  if (mode.data === 'teleport' || failure?.kind === 'teleport') return <TeleportOnlyPanel />;

  return <LoginForm onSubmit={(body) => login.mutate(body)} pending={login.isPending} error={failure?.kind === 'message' ? failure.text : undefined} />;
}

interface LoginFormProps {
  onSubmit: (body: LoginRequest) => void;
  pending: boolean;
  error: string | undefined;
}

function LoginForm({ onSubmit, pending, error }: LoginFormProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const id = useId();
  const errorId = `${id}-error`;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!pending) onSubmit({ username, password });
  };

  return (
    <SessionScreen title="Sign in">
      <form className="session-screen__body login-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`} className="session-screen__title">
          Sign in
        </h1>
        <div className="login-form__field">
          <label className="field-label" htmlFor={`${id}-username`}>
            Username
          </label>
          <input
            id={`${id}-username`}
            className="input"
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            // The only thing to do on this page.
            autoFocus
            required
            maxLength={128}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </div>
        <div className="login-form__field">
          <label className="field-label" htmlFor={`${id}-password`}>
            Password
          </label>
          <input
            id={`${id}-password`}
            className="input"
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
        </div>
        {error ? (
          <p id={errorId} className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn--primary login-form__submit" data-testid="login-submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </SessionScreen>
  );
}
