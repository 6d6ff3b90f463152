/** A user's Teleport roles as small badges, or "no roles" so an empty list is visibly empty. */
export function RoleBadges({ roles, testId }: { roles: readonly string[]; testId?: string }) {
  if (roles.length === 0) {
    return (
      <span className="role-badges role-badges--empty" data-testid={testId}>
        no roles
      </span>
    );
  }
  return (
    <ul className="role-badges" aria-label="Roles" data-testid={testId}>
      {roles.map((role) => (
        <li key={role} className="role-badge">
          {role}
        </li>
      ))}
    </ul>
  );
}
