import { z } from 'zod';
import { MAX_WINDOW_DAYS } from './window';

export const QUERY_NAME_RULE = 'a query name is 1–63 characters of a-z, 0-9, - and _, starting with a letter or digit';
export const QueryName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, QUERY_NAME_RULE)
  .refine((n) => n !== 'new', 'the name "new" is reserved: /queries/new is the editor');

/**
 * A Teleport resource name, what `tctl` accepts as an `audit_query`'s metadata.name: letters of either case, digits,
 * `.`, `_` and `-` (`Failed.Logins`), up to 253 characters.
 */
export const TeleportQueryName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/, 'a Teleport query name is letters, digits, ".", "_" and "-", starting with a letter or digit');

/** FNV-1a (32 bits) as 8 hex digits: a short, stable tag that tells apart long names cut to the same prefix. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * The name a Teleport `audit_query` is saved under here. A name `QueryName` accepts is kept; any other (Teleport allows
 * capitals and dots: `Failed.Logins`) is lower-cased with every other character as `_` (`failed_logins`), cut to 63
 * characters with a hash of the original when longer. The original travels beside it as `teleportName` and export
 * writes it back, so the query returns to Teleport under the name it came with.
 */
export function storedQueryName(teleportName: string): string {
  if (QueryName.safeParse(teleportName).success) return teleportName;
  let name = teleportName.toLowerCase().replace(/[^a-z0-9_-]/g, '_').replace(/^[_-]+/, '');
  if (name === '') name = 'query';
  if (name.length > 63) name = `${name.slice(0, 54)}_${shortHash(teleportName)}`;
  return name === 'new' ? 'new_query' : name;
}

export const ChartSpec = z
  .object({
    type: z.enum(['line', 'bar', 'stacked-bar']),
    x: z.string().min(1),
    y: z.string().min(1),
    /** Further Y columns, each drawn as its own series beside `y` (with_mfa and without_mfa per day). */
    moreY: z.array(z.string().min(1)).max(11).optional(),
    series: z.string().min(1).optional(),
  })
  .strict();
export type ChartSpec = z.infer<typeof ChartSpec>;

/** `PUT /api/v1/queries/:name` body: an `audit_query` resource's spec. */
export const SaveQuery = z
  .object({
    title: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    sql: z.string().min(1).max(100_000),
    days: z.number().int().min(1).max(MAX_WINDOW_DAYS).default(7),
    chart: ChartSpec.nullable().default(null),
    /** The Teleport name of an imported `audit_query` saved under another name (see `storedQueryName`); export writes it back. */
    teleportName: TeleportQueryName.optional(),
  })
  .strict();
export type SaveQuery = z.infer<typeof SaveQuery>;

/** One immutable revision of a saved query. */
export const SavedQuery = SaveQuery.extend({
  name: QueryName,
  revision: z.number().int().min(1),
  savedBy: z.string(),
  savedAt: z.string(),
  deleted: z.boolean().default(false),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

export const SavedQueryList = z.object({ queries: z.array(SavedQuery) });
export const RevisionList = z.object({ revisions: z.array(SavedQuery) });

/** The `ETag` of a saved query is its revision; a conditional write sends it back as `If-Match`. */
export const savedQueryEtag = (q: Pick<SavedQuery, 'name' | 'revision'>): string => `"${q.name}.r${q.revision}"`;

/** `GET /api/v1/queries?deleted=true`: the deleted queries (their tombstones) instead of the live ones. */
export const SavedQueriesQuery = z.object({ deleted: z.enum(['true', 'false']).default('false') });
export type SavedQueriesQuery = z.infer<typeof SavedQueriesQuery>;

/** `POST /api/v1/queries/:name/restore` body: the revision whose content becomes the deleted query's next revision. */
export const RestoreQuery = z.object({ revision: z.number().int().min(1) }).strict();
export type RestoreQuery = z.infer<typeof RestoreQuery>;
