import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Role } from './model';
import { RoleFileError } from './role-file-error';
import type { FilePosition } from './role-file-error';
import { describeValue, RoleSchema } from './role-schema';

type Path = readonly PropertyKey[];

/**
 * Parses role YAML as `tctl get roles` prints it: one or more `kind: role` documents separated by `---`
 * (a document holding a list of roles, as `--format=json` prints, is accepted too).
 * Throws RoleFileError naming the file, line and reason of the first problem.
 */
export function parseRoles(text: string, fileName: string): Role[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): FilePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const roles: Role[] = [];
  for (const document of documents) {
    const [syntaxError] = document.errors;
    if (syntaxError) throw new RoleFileError(fileName, `invalid YAML: ${syntaxError.message}`, at(syntaxError.pos[0]));
    const contents = document.contents;
    // An empty document, e.g. after a trailing ---
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    let value: unknown;
    try {
      value = document.toJS();
    } catch (error) {
      // e.g. an undefined alias or an alias bomb over yaml's limit
      throw new RoleFileError(fileName, `invalid YAML: ${(error as Error).message}`, at(rangeStart(contents) ?? 0));
    }
    if (isSeq(contents)) {
      (value as unknown[]).forEach((item, index) => roles.push(parseRole(item, document, [index], fileName, at)));
    } else {
      roles.push(parseRole(value, document, [], fileName, at));
    }
  }
  return roles;
}

function parseRole(
  value: unknown,
  document: Document,
  path: Path,
  fileName: string,
  at: (offset: number) => FilePosition,
): Role {
  const fail = (issuePath: Path, reason: string): never => {
    throw new RoleFileError(fileName, reason, at(locate(document, [...path, ...issuePath])));
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail([], `expected a role (a mapping with kind: role), not ${describeValue(value)}`);
  }
  const kind = (value as { kind?: unknown }).kind;
  if (kind === undefined) return fail([], 'missing kind: role');
  if (kind !== 'role') return fail(['kind'], `expected kind: role, not kind: ${String(kind)}`);

  const result = RoleSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return fail(issue?.path ?? [], issue ? `${formatPath(issue.path)} ${issue.message}` : 'not a valid role');
  }
  const role: Role = result.data;
  return { ...role, source: { fileName, line: at(locate(document, path)).line } };
}

/** Offset of the node at `path`; for a missing key, of the key that should hold it (or the document start). */
function locate(document: Document, path: Path): number {
  let node: unknown = document.contents;
  let found = rangeStart(node) ?? 0;
  let owner = found;
  for (const segment of path) {
    let keyStart: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
      if (!pair) return owner;
      keyStart = rangeStart(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
    } else {
      return owner;
    }
    const start = isScalar(node) && node.value === null ? undefined : rangeStart(node);
    found = start ?? keyStart ?? found;
    owner = keyStart ?? found;
  }
  return found;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** `spec.allow.rules[0].verbs` */
function formatPath(path: Path): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}
