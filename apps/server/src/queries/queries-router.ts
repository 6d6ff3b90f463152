import { Router } from 'express';
import { z } from 'zod';
import { Problem, QueryName, RestoreQuery, RevisionList, SavedQueriesQuery, SaveQuery, SavedQuery, SavedQueryList } from '@access-monitor/contracts';
import { PERMISSIONS } from '@access-monitor/rbac';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { PreconditionRequired } from '../revisions/revision-errors';
import { savePrecondition } from '../revisions/revisioned-documents';
import { etagOf, type SavedQueries } from './saved-queries';

const Params = z.object({ name: QueryName });

interface QueriesDeps {
  queries: SavedQueries;
  now: () => Date;
}

/** `/queries…`: saved audit queries, revisioned; deleting writes a restorable tombstone. */
export const QUERIES_ROUTES = defineRoutes<QueriesDeps>([
  {
    method: 'GET',
    path: '/queries',
    access: { permission: PERMISSIONS.listQueries },
    variants: [{ query: { deleted: 'true' }, access: { permission: PERMISSIONS.listQueries } }],
    summary: 'Saved audit queries (latest revision of each); with deleted=true, the deleted ones instead (each tombstone: who deleted it, when)',
    query: SavedQueriesQuery,
    responses: { 200: SavedQueryList, 400: Problem },
    handler: async ({ queries }, _req, res) => {
      const { deleted } = res.locals.query as SavedQueriesQuery;
      res.json({ queries: await queries.list({ deleted: deleted === 'true' }) });
    },
  },
  {
    method: 'GET',
    path: '/queries/:name',
    access: { permission: PERMISSIONS.viewQuery },
    summary: 'A saved audit query; its revision is the ETag',
    params: Params,
    responses: { 200: SavedQuery, 404: Problem },
    handler: async ({ queries }, req, res) => {
      const q = await queries.get(String(req.params.name));
      res.setHeader('ETag', etagOf(q)).json(q);
    },
  },
  {
    method: 'GET',
    path: '/queries/:name/revisions',
    access: { permission: PERMISSIONS.listQueries },
    summary: 'Every revision of a saved query, tombstones included',
    params: Params,
    responses: { 200: RevisionList },
    handler: async ({ queries }, req, res) => {
      res.json({ revisions: await queries.revisions(String(req.params.name)) });
    },
  },
  {
    method: 'PUT',
    path: '/queries/:name',
    access: { permission: PERMISSIONS.updateQuery },
    // Creating is PUT with If-None-Match: *, so the verb is known before the handler runs.
    variants: [{ headers: { 'if-none-match': '*' }, access: { permission: PERMISSIONS.createQuery } }],
    summary: 'Save: create with If-None-Match: * (create on audit_query), update with If-Match: <ETag> (update on audit_query)',
    params: Params,
    body: SaveQuery,
    responses: { 200: SavedQuery, 201: SavedQuery, 400: Problem, 409: Problem, 428: Problem },
    handler: async ({ queries, now }, req, res) => {
      const name = String(req.params.name);
      const precondition = savePrecondition({ ifNoneMatch: req.get('if-none-match'), ifMatch: req.get('if-match') }, 'query');
      const saved = await queries.save(name, precondition, req.body as SaveQuery, req.user!.username, now());
      req.log?.info({ query: name, revision: saved.revision }, 'query saved');
      res.status('create' in precondition ? 201 : 200).setHeader('ETag', etagOf(saved)).json(saved);
    },
  },
  {
    method: 'DELETE',
    path: '/queries/:name',
    access: { permission: PERMISSIONS.deleteQuery },
    summary: 'Delete: writes a tombstone revision (restorable)',
    params: Params,
    responses: { 204: null, 404: Problem, 409: Problem },
    handler: async ({ queries, now }, req, res) => {
      const tombstone = await queries.remove(String(req.params.name), req.user!.username, now(), req.get('if-match'));
      req.log?.info({ query: tombstone.name, revision: tombstone.revision }, 'query deleted');
      res.status(204).end();
    },
  },
  {
    method: 'POST',
    path: '/queries/:name/restore',
    // Restoring a deleted query creates it again.
    access: { permission: PERMISSIONS.createQuery },
    summary:
      "Restore a deleted query: writes the given revision's content as a new revision; If-Match: <ETag> of the tombstone is required (409 when the query changed since, 428 without it)",
    params: Params,
    body: RestoreQuery,
    responses: { 201: SavedQuery, 400: Problem, 404: Problem, 409: Problem, 428: Problem },
    handler: async ({ queries, now }, req, res) => {
      const name = String(req.params.name);
      const ifMatch = req.get('if-match');
      if (!ifMatch) throw new PreconditionRequired('send If-Match: <ETag> of the deleted query (its tombstone revision) to restore it');
      const { revision } = req.body as RestoreQuery;
      const restored = await queries.restore(name, revision, ifMatch, req.user!.username, now());
      req.log?.info({ query: name, revision: restored.revision, restoredFrom: revision }, 'query restored');
      res.status(201).setHeader('ETag', etagOf(restored)).json(restored);
    },
  },
]);

export function createQueriesRouter(deps: QueriesDeps): Router {
  return mountRoutes(Router(), QUERIES_ROUTES, deps);
}
