/** A shell word as typed: bare when it is safe (`alice@example.com`), single-quoted otherwise. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/**
 * The `access-monitor users` command (auth mode local) that gives `username` the `role` next to the roles they have.
 * The user exists (they signed in), so `users add` needs `--replace`, which also sets a new password.
 */
export function localGrantCommand(username: string, roles: readonly string[], role: string): string {
  const granted = [...new Set([...roles, role])].join(',');
  return `access-monitor users add ${shellWord(username)} --roles ${shellWord(granted)} --replace`;
}
