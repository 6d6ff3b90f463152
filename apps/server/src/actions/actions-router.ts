import { Router } from 'express';
import { z } from 'zod';
import { FireAction, ResponseActionName, SaveResponseAction, type DestinationList, type FiringList, type ResponseActionList } from '@access-monitor/contracts';
import { PreconditionRequired } from '../http/errors';
import { validate } from '../http/validate';
import type { ActionFirings } from './action-firings';
import { destinationInfo, type ActionsConfig } from './delivery/actions-config';
import { summarize, validateAction, type ResponseActionStore } from './response-actions';

const Params = z.object({ name: ResponseActionName });
const FiringParams = z.object({ name: ResponseActionName, id: z.string().min(1).max(200) });
const FiringsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** `/actions…`: response-action rules (revisioned like saved queries), their firings, previews and test fires. */
export function createActionsRouter(deps: { rules: ResponseActionStore; firings: ActionFirings; config: ActionsConfig; now: () => Date }): Router {
  const { rules, firings, config, now } = deps;
  const router = Router();

  router.get('/actions', async (req, res) => {
    const all = await rules.list({ onCorrupt: (key, err) => req.log?.error({ key, err }, 'a response action object is corrupt; skipped') });
    res.json({ actions: await Promise.all(all.map((a) => summarize(a, firings, now()))) } satisfies ResponseActionList);
  });

  // Before /actions/:name, which would otherwise take these for a rule's name.
  router.get('/actions/destinations', (_req, res) => {
    res.json({ destinations: Object.entries(config.destinations).map(([name, d]) => destinationInfo(name, d)) } satisfies DestinationList);
  });

  router.post('/actions/preview', validate({ body: SaveResponseAction }), async (req, res) => {
    const body = req.body as SaveResponseAction;
    await validateAction(body, { config, firings });
    res.json(await firings.preview(body));
  });

  router.get('/actions/:name', validate({ params: Params }), async (req, res) => {
    const action = await rules.get(String(req.params.name));
    res.setHeader('ETag', rules.etag(action)).json(action);
  });

  router.get('/actions/:name/revisions', validate({ params: Params }), async (req, res) => {
    res.json({ revisions: await rules.revisions(String(req.params.name)) });
  });

  router.put('/actions/:name', validate({ params: Params, body: SaveResponseAction }), async (req, res) => {
    const name = String(req.params.name);
    const body = req.body as SaveResponseAction;
    const ifNoneMatch = req.get('if-none-match');
    const ifMatch = req.get('if-match');
    if (ifNoneMatch !== '*' && !ifMatch) throw new PreconditionRequired('send If-None-Match: * to create a response action, or If-Match: <ETag> of the revision your edit is based on to update it');
    await validateAction(body, { config, firings });
    const saved = ifNoneMatch === '*' ? await rules.create(name, body, req.user!.username, now()) : await rules.update(name, ifMatch!, body, req.user!.username, now());
    req.log?.info({ action: name, revision: saved.revision, enabled: saved.enabled }, 'response action saved');
    res.status(ifNoneMatch === '*' ? 201 : 200).setHeader('ETag', rules.etag(saved)).json(saved);
  });

  router.delete('/actions/:name', validate({ params: Params }), async (req, res) => {
    const tombstone = await rules.remove(String(req.params.name), req.user!.username, now(), req.get('if-match'));
    req.log?.info({ action: tombstone.name, revision: tombstone.revision }, 'response action deleted');
    res.json(tombstone);
  });

  router.get('/actions/:name/firings', validate({ params: Params, query: FiringsQuery }), async (req, res) => {
    const name = String(req.params.name);
    await rules.get(name);
    const { limit } = res.locals.query as z.infer<typeof FiringsQuery>;
    res.json({ firings: await firings.list(name, limit) } satisfies FiringList);
  });

  router.get('/actions/:name/firings/:id', validate({ params: FiringParams }), async (req, res) => {
    res.json(await firings.get(String(req.params.name), String(req.params.id)));
  });

  router.post('/actions/:name/firings', validate({ params: Params, body: FireAction }), async (req, res) => {
    const action = await rules.get(String(req.params.name));
    const { test } = req.body as FireAction;
    // Runs to its end before answering: the caller sees the deliveries it asked for.
    const firing = (await firings.fire(action, test ? 'test' : 'manual', now(), { startedBy: req.user!.username }))!;
    res.status(201).json(firing);
  });

  return router;
}
