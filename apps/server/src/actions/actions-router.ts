import { Router } from 'express';
import { z } from 'zod';
import {
  ActionPreview,
  DestinationList,
  FireAction,
  Firing,
  FiringList,
  Problem,
  ResponseAction,
  ResponseActionList,
  ResponseActionName,
  SaveResponseAction,
} from '@access-monitor/contracts';
import { PERMISSIONS, READS_AUDIT_LOG } from '@access-monitor/rbac';
import { defineRoutes, mountRoutes } from '../http/declare-routes';
import { savePrecondition } from '../revisions/revisioned-documents';
import type { ActionFirings } from './action-firings';
import { destinationInfo, type ActionsConfig } from './delivery/actions-config';
import { summarize, validateAction, type ResponseActionStore } from './response-actions';

const Params = z.object({ name: ResponseActionName });
const FiringParams = z.object({ name: ResponseActionName, id: z.string().min(1).max(200) });
const FiringsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

interface ActionsDeps {
  rules: ResponseActionStore;
  firings: ActionFirings;
  config: ActionsConfig;
  now: () => Date;
}

const list = { permission: PERMISSIONS.listResponseActions };
const view = { permission: PERMISSIONS.viewResponseAction };

/**
 * `/actions…`: response-action rules (revisioned like saved queries), their firings, previews and test fires.
 * List/read to see rules and firings; create/update/delete to manage them. A rule reads the audit log and sends
 * its rows away, so defining, previewing or firing one also needs use on both kinds (else a role without them
 * could read findings through a rule's preview or webhook).
 */
export const ACTIONS_ROUTES = defineRoutes<ActionsDeps>([
  {
    method: 'GET',
    path: '/actions',
    access: list,
    summary: 'Response actions (latest revision of each) with their next and last firing',
    responses: { 200: ResponseActionList },
    handler: async ({ rules, firings, now }, req, res) => {
      const all = await rules.list({ onCorrupt: (key, err) => req.log?.error({ key, err }, 'a response action object is corrupt; skipped') });
      res.json({ actions: await Promise.all(all.map((a) => summarize(a, firings, now()))) } satisfies ResponseActionList);
    },
  },
  {
    // Before /actions/:name, which would otherwise take this for a rule's name.
    method: 'GET',
    path: '/actions/destinations',
    access: list,
    summary: 'Destinations declared under actions.destinations: name and type only, never URLs or secrets',
    responses: { 200: DestinationList },
    handler: ({ config }, _req, res) => {
      res.json({ destinations: Object.entries(config.destinations).map(([name, d]) => destinationInfo(name, d)) } satisfies DestinationList);
    },
  },
  {
    // Before /actions/:name too.
    method: 'POST',
    path: '/actions/preview',
    access: { permissions: [PERMISSIONS.createResponseAction, ...READS_AUDIT_LOG] },
    summary: "What a rule would send with today's data (rows after triage exceptions and rows already sent), without sending or recording anything",
    body: SaveResponseAction,
    responses: { 200: ActionPreview, 400: Problem },
    handler: async ({ config, firings }, req, res) => {
      const body = req.body as SaveResponseAction;
      await validateAction(body, { config, firings });
      res.json(await firings.preview(body));
    },
  },
  {
    method: 'GET',
    path: '/actions/:name',
    access: view,
    summary: 'A response action; its revision is the ETag',
    params: Params,
    responses: { 200: ResponseAction, 404: Problem },
    handler: async ({ rules }, req, res) => {
      const action = await rules.get(String(req.params.name));
      res.setHeader('ETag', rules.etag(action)).json(action);
    },
  },
  {
    method: 'GET',
    path: '/actions/:name/revisions',
    access: list,
    summary: 'Every revision of a response action, tombstones included',
    params: Params,
    responses: { 200: z.object({ revisions: z.array(ResponseAction) }) },
    handler: async ({ rules }, req, res) => {
      res.json({ revisions: await rules.revisions(String(req.params.name)) });
    },
  },
  {
    method: 'PUT',
    path: '/actions/:name',
    access: { permissions: [PERMISSIONS.updateResponseAction, ...READS_AUDIT_LOG] },
    variants: [{ headers: { 'if-none-match': '*' }, access: { permissions: [PERMISSIONS.createResponseAction, ...READS_AUDIT_LOG] } }],
    summary: 'Create (If-None-Match: *) or update (If-Match: <ETag>) a response action; 400 names the field (schedule, destination, source, response)',
    params: Params,
    body: SaveResponseAction,
    responses: { 200: ResponseAction, 201: ResponseAction, 400: Problem, 409: Problem, 428: Problem },
    handler: async ({ rules, firings, config, now }, req, res) => {
      const name = String(req.params.name);
      const body = req.body as SaveResponseAction;
      const precondition = savePrecondition({ ifNoneMatch: req.get('if-none-match'), ifMatch: req.get('if-match') }, 'response action');
      await validateAction(body, { config, firings });
      const saved = await rules.save(name, precondition, body, req.user!.username, now());
      req.log?.info({ action: name, revision: saved.revision, enabled: saved.enabled }, 'response action saved');
      res.status('create' in precondition ? 201 : 200).setHeader('ETag', rules.etag(saved)).json(saved);
    },
  },
  {
    method: 'DELETE',
    path: '/actions/:name',
    access: { permission: PERMISSIONS.deleteResponseAction },
    summary: 'Delete: writes a tombstone revision; its firings stay readable',
    params: Params,
    responses: { 200: ResponseAction, 404: Problem, 409: Problem },
    handler: async ({ rules, now }, req, res) => {
      const tombstone = await rules.remove(String(req.params.name), req.user!.username, now(), req.get('if-match'));
      req.log?.info({ action: tombstone.name, revision: tombstone.revision }, 'response action deleted');
      res.json(tombstone);
    },
  },
  {
    method: 'GET',
    path: '/actions/:name/firings',
    access: list,
    summary: 'Firings of a rule, newest first, with per-destination attempts and responses',
    params: Params,
    query: FiringsQuery,
    responses: { 200: FiringList, 404: Problem },
    handler: async ({ rules, firings }, req, res) => {
      const name = String(req.params.name);
      await rules.get(name);
      const { limit } = res.locals.query as z.infer<typeof FiringsQuery>;
      res.json({ firings: await firings.list(name, limit) } satisfies FiringList);
    },
  },
  {
    method: 'GET',
    path: '/actions/:name/firings/:id',
    access: view,
    summary: 'One firing',
    params: FiringParams,
    responses: { 200: Firing, 404: Problem },
    handler: async ({ firings }, req, res) => {
      res.json(await firings.get(String(req.params.name), String(req.params.id)));
    },
  },
  {
    method: 'POST',
    path: '/actions/:name/firings',
    // Firing now sends to real destinations (and may lock users): the same verb as changing the rule.
    access: { permissions: [PERMISSIONS.updateResponseAction, ...READS_AUDIT_LOG] },
    summary: 'Fire now (test: true sends to the destinations but locks nobody and leaves the rows new); answers when the firing has ended',
    params: Params,
    body: FireAction,
    responses: { 201: Firing, 404: Problem },
    handler: async ({ rules, firings, now }, req, res) => {
      const action = await rules.get(String(req.params.name));
      const { test } = req.body as FireAction;
      // Runs to its end before answering: the caller sees the deliveries it asked for.
      const firing = (await firings.fire(action, test ? 'test' : 'manual', now(), { startedBy: req.user!.username }))!;
      res.status(201).json(firing);
    },
  },
]);

export function createActionsRouter(deps: ActionsDeps): Router {
  return mountRoutes(Router(), ACTIONS_ROUTES, deps);
}
