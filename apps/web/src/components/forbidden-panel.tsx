import { Link } from 'react-router';
import type { Problem } from '@access-monitor/contracts';
import { DOCUMENTED_ACCESS_MONITORING_ROLE, type Permission } from '@access-monitor/rbac';
import { presetRoleFor } from '../lib/session/access';
import { useMe } from '../lib/session/use-me';
import { CopyTextButton } from './copy-text-button';
import { localGrantCommand } from './grant-command';
import { RoleBadges } from './role-badges';

interface ForbiddenPanelProps {
  /** What the page or control needs, when the SPA knows it (route guards); absent for a 403 from the server. */
  permission?: Permission;
  /** The server's 403, whose detail names the kind and verbs it wanted. */
  problem?: Problem;
  /** Sections the user may open instead. */
  alternatives?: readonly { label: string; to: string }[];
}

/** Why the user cannot see this, which role to ask for, and the roles they have: shown instead of a page or on any 403. */
export function ForbiddenPanel({ permission, problem, alternatives = [] }: ForbiddenPanelProps) {
  const me = useMe().data;
  const roles = me?.roles;
  const preset = presetRoleFor(permission);
  // Who can fix it depends on where roles come from: the users file (local sign-in) or Teleport.
  const local = me?.authMode === 'local';
  const who = local ? 'Ask the administrator of this access-monitor server to run the command below.' : 'Ask your Teleport administrator.';
  return (
    <section className="card forbidden-panel" data-testid="forbidden-panel" aria-labelledby="forbidden-title" role={problem ? 'alert' : undefined}>
      <h2 id="forbidden-title" className="forbidden-panel__title">
        You need the {preset} role
      </h2>
      {permission ? (
        <p>
          This needs <Verbs verbs={permission.verbs} /> on <code>{permission.kind}</code>.
        </p>
      ) : null}
      {problem?.detail ? <p className="forbidden-panel__detail">{problem.detail}</p> : null}
      {preset === 'auditor' ? (
        <p>
          To use Access Monitoring you need a role allowing <code>list</code>, <code>read</code> and <code>use</code> on <code>security_report</code>{' '}
          and <code>audit_query</code> — the preset <code>auditor</code> role has exactly these. {who}
        </p>
      ) : (
        <p>
          Saving and deleting need the <code>create</code>, <code>update</code> or <code>delete</code> verbs — the preset <code>editor</code> role has
          them. {who}
        </p>
      )}
      {local && me ? (
        <figure className="forbidden-panel__example" data-testid="grant-command">
          <figcaption>
            On the server, in the folder of its <code>access-monitor.yaml</code> (<code>--replace</code> also sets a new password: the command
            prints a one-time password, or reads one with <code>--password-stdin</code>):
          </figcaption>
          <pre className="code-block">
            <code>{localGrantCommand(me.username, me.roles, preset)}</code>
          </pre>
          <CopyTextButton text={localGrantCommand(me.username, me.roles, preset)} label="Copy command" testId="copy-grant-command" />
        </figure>
      ) : (
        <figure className="forbidden-panel__example" data-testid="grant-role-yaml">
          <figcaption>A custom Teleport role granting access to Access Monitoring:</figcaption>
          <pre className="code-block">
            <code>{DOCUMENTED_ACCESS_MONITORING_ROLE.trimEnd()}</code>
          </pre>
          <CopyTextButton text={DOCUMENTED_ACCESS_MONITORING_ROLE} label="Copy role YAML" testId="copy-role-yaml" />
        </figure>
      )}
      <div className="forbidden-panel__roles">
        <span>Your roles:</span> {roles ? <RoleBadges roles={roles} testId="forbidden-roles" /> : <span className="muted">unknown</span>}
      </div>
      {alternatives.length > 0 ? (
        <p>
          You can open{' '}
          {alternatives.map((page, i) => (
            <span key={page.to}>
              {i > 0 ? ', ' : null}
              <Link to={page.to}>{page.label}</Link>
            </span>
          ))}
          .
        </p>
      ) : null}
    </section>
  );
}

function Verbs({ verbs }: { verbs: readonly string[] }) {
  return (
    <>
      {verbs.map((verb, i) => (
        <span key={verb}>
          {i === 0 ? null : i === verbs.length - 1 ? ' and ' : ', '}
          <code>{verb}</code>
        </span>
      ))}
    </>
  );
}
