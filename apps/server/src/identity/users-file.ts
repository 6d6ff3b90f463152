import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Document, LineCounter, YAMLSeq, isNode, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import { createFileExclusive, writeFileAtomic } from '@access-monitor/storage';
import { hashPassword, parsePasswordHash, type ScryptParams } from './password-hash';

/** What a user name may be: also what Teleport usernames usually look like (`alice@example.com`). */
export const USER_NAME_PATTERN = /^[a-zA-Z0-9._@-]{1,64}$/;
const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;
const FILE_MODE = 0o600;

export interface LocalUser {
  name: string;
  passwordHash: string;
  roles: string[];
}

/** The users file cannot be read or parsed, or a change to it was refused. The message names the file. */
export class UsersFileError extends Error {
  override name = 'UsersFileError';
}

const UserEntry = z
  .object({
    name: z.string().regex(USER_NAME_PATTERN, 'expected 1–64 of a-z A-Z 0-9 . _ @ -'),
    password_hash: z.string().refine((s) => parsePasswordHash(s) !== null, 'expected scrypt$N=…,r=…,p=…$<salt base64>$<hash base64>'),
    roles: z.array(z.string().min(1)).default([]),
  })
  .strict();
const UsersFileSchema = z.object({ users: z.array(UserEntry).default([]) }).strict();

const HEADER = ' access-monitor local users. Manage with `access-monitor users add NAME --roles auditor`.\n Roles are read on every request: removing a user or a role takes effect at once.';

/** Parses the users file; throws UsersFileError naming the file, line and key on anything it cannot use. */
export async function readUsersFile(file: string): Promise<LocalUser[]> {
  return parseUsers(await readText(file), file).users;
}

/**
 * Adds a user (or replaces one with `replace`), creating the file (0600) when missing. Without a password, a strong
 * random one is generated and returned: it is shown once and never stored in clear.
 */
export async function addUser(
  file: string,
  user: { name: string; roles: string[]; password?: string; replace?: boolean },
  params?: ScryptParams,
): Promise<{ replaced: boolean; generatedPassword?: string }> {
  if (!USER_NAME_PATTERN.test(user.name)) throw new UsersFileError(`user name ${JSON.stringify(user.name)} must be 1–64 of a-z A-Z 0-9 . _ @ -`);
  for (const role of user.roles) if (!role.trim()) throw new UsersFileError('role names must not be empty');
  if (user.password !== undefined) checkPassword(user.password);
  const existing = await readIfExists(file);
  const { doc, users } = existing ? parseUsers(existing.text, file) : { doc: newUsersDocument(), users: [] };
  const index = users.findIndex((u) => u.name === user.name);
  if (index >= 0 && !user.replace) throw new UsersFileError(`${file}: user ${user.name} already exists (use --replace to reset their password and roles)`);

  const generatedPassword = user.password === undefined ? generatePassword() : undefined;
  const entry = userNode(doc, user.name, await hashPassword(user.password ?? generatedPassword!, params), user.roles);
  if (index >= 0) doc.setIn(['users', index], entry);
  else if (doc.get('users') instanceof YAMLSeq) doc.addIn(['users'], entry);
  else doc.set('users', doc.createNode([entry]));

  await writeFileAtomic(file, doc.toString(), existing ? existing.mode : FILE_MODE);
  return { replaced: index >= 0, ...(generatedPassword ? { generatedPassword } : {}) };
}

/** Removes a user; false when there was none by that name. Their session cookies stop working on the next request. */
export async function removeUser(file: string, name: string): Promise<boolean> {
  const existing = await readIfExists(file);
  if (!existing) return false;
  const { doc, users } = parseUsers(existing.text, file);
  const index = users.findIndex((u) => u.name === name);
  if (index < 0) return false;
  doc.deleteIn(['users', index]);
  await writeFileAtomic(file, doc.toString(), existing.mode);
  return true;
}

export interface DemoUser {
  name: string;
  roles: string[];
  password: string;
}

const DEMO_USERS: Array<Omit<DemoUser, 'password'>> = [
  { name: 'auditor@demo', roles: ['auditor'] },
  { name: 'editor@demo', roles: ['editor'] },
  { name: 'visitor@demo', roles: [] },
];

/** First start of the embedded demo: creates the users file with three demo users and returns their passwords; [] when it exists. */
export async function ensureDemoUsers(usersFile: string, params?: ScryptParams): Promise<DemoUser[]> {
  if (await readIfExists(usersFile)) return [];
  const users = DEMO_USERS.map((u) => ({ ...u, password: generatePassword() }));
  const doc = newUsersDocument();
  for (const u of users) {
    doc.addIn(['users'], userNode(doc, u.name, await hashPassword(u.password, params), u.roles));
  }
  return (await createFileExclusive(usersFile, doc.toString(), FILE_MODE)) ? users : [];
}

/** 144 random bits in 24 URL-safe characters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsersFileError(`passwords must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new UsersFileError(`passwords must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

/** A file changed this recently may change again within the same timestamp tick: its stamp proves nothing yet. */
const RACY_WINDOW_NS = 2_000_000_000n;

/**
 * The users by name, re-read whenever the file changes (mtime, ctime, size or inode: `users add` replaces it by
 * rename; an editor may rewrite it in place), so a new user, a removed user or a changed role takes effect on the
 * next request without a restart. Each call looks at the file itself (a call never reuses a look that began before
 * it), and a file modified within the last two seconds is re-read every time, since an in-place edit of the same
 * size within one timestamp tick leaves the stamp unchanged. A file that disappears or stops parsing yields no
 * users until it is fixed: never a stale grant.
 */
export function watchUsersFile(file: string, onError: (err: Error) => void): () => Promise<ReadonlyMap<string, LocalUser>> {
  let stamp = '';
  let users: ReadonlyMap<string, LocalUser> = new Map();
  let loading: Promise<ReadonlyMap<string, LocalUser>> | null = null;
  let queued: Promise<ReadonlyMap<string, LocalUser>> | null = null;

  async function load(): Promise<ReadonlyMap<string, LocalUser>> {
    let current: string;
    let racy: boolean;
    try {
      const s = await stat(file, { bigint: true });
      current = `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`;
      racy = BigInt(Date.now()) * 1_000_000n - s.mtimeNs < RACY_WINDOW_NS;
    } catch (e) {
      if (stamp !== 'missing') onError(new UsersFileError(`${file}: users file is missing; nobody can log in (${(e as Error).message})`));
      stamp = 'missing';
      users = new Map();
      return users;
    }
    if (current === stamp && !racy) return users;
    try {
      users = new Map((await readUsersFile(file)).map((u) => [u.name, u]));
      stamp = current;
    } catch (e) {
      onError(e as Error);
      users = new Map();
      stamp = ''; // retry on the next request: an editor may still be writing it
    }
    return users;
  }

  return () => {
    if (!loading) {
      loading = load().finally(() => {
        loading = null;
      });
      return loading;
    }
    // A load under way may have looked at the file before this caller came: wait for it, then share the next one.
    queued ??= loading.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      queued = null;
      loading ??= load().finally(() => {
        loading = null;
      });
      return loading;
    });
    return queued;
  };
}

function userNode(doc: Document, name: string, passwordHash: string, roles: string[]) {
  const node = doc.createNode({ name, password_hash: passwordHash, roles });
  const rolesNode = node.get('roles', true);
  if (isSeq(rolesNode)) rolesNode.flow = true; // roles: [auditor, editor]
  return node;
}

function newUsersDocument(): Document {
  const doc = new Document({ users: [] });
  doc.commentBefore = HEADER;
  return doc;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsersFileError(`${file}: cannot read users file: ${(e as Error).message}`);
  }
}

async function readIfExists(file: string): Promise<{ text: string; mode: number } | null> {
  try {
    const s = await stat(file);
    return { text: await readFile(file, 'utf8'), mode: s.mode & 0o777 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsersFileError(`${file}: cannot read users file: ${(e as Error).message}`);
  }
}

function parseUsers(text: string, file: string): { doc: Document; users: LocalUser[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) throw new UsersFileError(`${file}:${lineCounter.linePos(firstError.pos[0]).line}: not valid YAML: ${firstError.message.split('\n')[0]}`);
  const parsed = UsersFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) ?? doc.getIn(issue.path.slice(0, -1) as (string | number)[], true);
    const line = isNode(node) && node.range ? `:${lineCounter.linePos(node.range[0]).line}` : '';
    throw new UsersFileError(`${file}${line}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const users = parsed.data.users.map((u) => ({ name: u.name, passwordHash: u.password_hash, roles: u.roles }));
  const seen = new Set<string>();
  for (const u of users) {
    if (seen.has(u.name)) throw new UsersFileError(`${file}: user ${u.name} is listed twice`);
    seen.add(u.name);
  }
  return { doc, users };
}
