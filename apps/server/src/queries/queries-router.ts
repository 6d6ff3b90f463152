import { Router } from 'express';
import { z } from 'zod';
import { QueryName, RestoreQuery, SavedQueriesQuery, SaveQuery } from '@access-monitor/contracts';
import { validate } from '../http/validate';
import { PreconditionRequired } from '../http/errors';
import { etagOf, type SavedQueries } from './saved-queries';

const Params = z.object({ name: QueryName });

export function createQueriesRouter(deps: { queries: SavedQueries; now: () => Date }): Router {
  const { queries, now } = deps;
  const router = Router();

  router.get('/queries', validate({ query: SavedQueriesQuery }), async (_req, res) => {
    const { deleted } = res.locals.query as SavedQueriesQuery;
    res.json({ queries: await queries.list({ deleted: deleted === 'true' }) });
  });

  router.get('/queries/:name', validate({ params: Params }), async (req, res) => {
    const q = await queries.get(String(req.params.name));
    res.setHeader('ETag', etagOf(q)).json(q);
  });

  router.get('/queries/:name/revisions', validate({ params: Params }), async (req, res) => {
    res.json({ revisions: await queries.revisions(String(req.params.name)) });
  });

  router.put('/queries/:name', validate({ params: Params, body: SaveQuery }), async (req, res) => {
    const name = String(req.params.name);
    const ifNoneMatch = req.get('if-none-match');
    const ifMatch = req.get('if-match');
    let saved;
    if (ifNoneMatch === '*') saved = await queries.create(name, req.body as SaveQuery, req.user!.username, now());
    else if (ifMatch) saved = await queries.update(name, ifMatch, req.body as SaveQuery, req.user!.username, now());
    else throw new PreconditionRequired('send If-None-Match: * to create a query, or If-Match: <ETag> of the revision your edit is based on to update it');
    req.log?.info({ query: name, revision: saved.revision }, 'query saved');
    res.status(ifNoneMatch === '*' ? 201 : 200).setHeader('ETag', etagOf(saved)).json(saved);
  });

  router.delete('/queries/:name', validate({ params: Params }), async (req, res) => {
    const tombstone = await queries.remove(String(req.params.name), req.user!.username, now(), req.get('if-match'));
    req.log?.info({ query: tombstone.name, revision: tombstone.revision }, 'query deleted');
    res.status(204).end();
  });

  router.post('/queries/:name/restore', validate({ params: Params, body: RestoreQuery }), async (req, res) => {
    const name = String(req.params.name);
    const ifMatch = req.get('if-match');
    if (!ifMatch) throw new PreconditionRequired('send If-Match: <ETag> of the deleted query (its tombstone revision) to restore it');
    const { revision } = req.body as RestoreQuery;
    const restored = await queries.restore(name, revision, ifMatch, req.user!.username, now());
    req.log?.info({ query: name, revision: restored.revision, restoredFrom: revision }, 'query restored');
    res.status(201).setHeader('ETag', etagOf(restored)).json(restored);
  });

  return router;
}
