import type { QueryEngine } from './query-engine';

/**
 * One engine as `audit_events_uri` names it, keyed in a registry by the URI's scheme: how its URI is
 * read (and refused), and how the engine is built. `Target` is what a config keeps of the URI;
 * `Context` is what the caller adds (result folders, limits, credentials).
 */
export interface EngineEntry<Target extends object, Context> {
  /** A URI of this scheme with a word on what it is, for the message listing the supported ones. */
  example: string;
  /** What the engine needs from the URI (paths resolved against `baseDir`); throws an Error saying what is wrong. */
  parse(uri: string, baseDir: string): Target;
  create(target: Target, context: Context): Promise<QueryEngine>;
}

/** Scheme → entry: adding an engine is one line here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own Target
export type EngineRegistry<Context> = Readonly<Record<string, EngineEntry<any, Context>>>;

/** `{ kind: <scheme>, …what its entry's parse returns }` for every scheme of a registry. */
export type EngineTargetOf<R> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- only Target is read
  [S in keyof R & string]: { kind: S } & (R[S] extends EngineEntry<infer T, any> ? T : never);
}[keyof R & string];

/** The URI names no engine of the registry; the message lists those it has. */
export class UnknownEngineScheme extends Error {
  override readonly name = 'UnknownEngineScheme';
  constructor(
    readonly scheme: string | undefined,
    readonly supported: readonly string[],
    examples: readonly string[],
  ) {
    super(`expected ${examples.join(' or ')}; ${scheme === undefined ? 'the URI has no scheme://' : `${scheme}:// is not a supported scheme`} (supported: ${supported.join(', ')})`);
  }
}

/** `parquet` of `parquet:///data`; undefined when the text has no `scheme://` followed by something. */
export function uriScheme(uri: string): string | undefined {
  return /^([A-Za-z][A-Za-z0-9+.-]*):\/\/./.exec(uri)?.[1];
}

function entryOf<C>(registry: EngineRegistry<C>, scheme: string | undefined) {
  if (scheme !== undefined && Object.hasOwn(registry, scheme)) return registry[scheme]!;
  const entries = Object.entries(registry);
  throw new UnknownEngineScheme(
    scheme,
    entries.map(([s]) => s),
    entries.map(([, e]) => e.example),
  );
}

/** Reads `uri` with the entry of its scheme; UnknownEngineScheme when the registry has none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any context: parsing does not use it
export function parseEngineUri<R extends EngineRegistry<any>>(registry: R, uri: string, baseDir: string): EngineTargetOf<R> {
  const scheme = uriScheme(uri);
  const target: object = entryOf(registry, scheme).parse(uri, baseDir);
  return { ...target, kind: scheme } as EngineTargetOf<R>;
}

/** Builds the engine a parsed target names. */
export function createEngine<C>(registry: EngineRegistry<C>, target: { kind: string }, context: C): Promise<QueryEngine> {
  const { kind, ...rest } = target;
  return entryOf(registry, kind).create(rest, context);
}
