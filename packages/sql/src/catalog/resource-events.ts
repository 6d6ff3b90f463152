// Roles, locks, join tokens and joins of bots and instances (TELEPORT-EVENTS.md §3).
import type { ViewDefinition } from '../types';
import { CONNECTION, METADATA, RESOURCE, STATUS, USER } from './common-blocks';
import { fieldsOf, json, nested, strings, timestamp, varchar } from './fields';
import { event } from './view-definition';

const ROLE = fieldsOf(METADATA, RESOURCE, USER, CONNECTION);

const LOCK_TARGET = [
  varchar('user', 'Locked user'),
  varchar('role', 'Locked role'),
  varchar('login', 'Locked login'),
  varchar('node', 'Locked node (deprecated: server_id)'),
  varchar('mfa_device', 'Locked MFA device'),
  varchar('windows_desktop', 'Locked Windows desktop'),
  varchar('access_request', 'Locked access request'),
  varchar('device', 'Locked trusted device'),
  varchar('server_id', 'Locked server'),
  varchar('bot_instance_id', 'Locked bot instance'),
  varchar('join_token', 'Locked join token'),
];

export const RESOURCE_VIEWS: ViewDefinition[] = [
  event('role.created', 'Role created (T9000I); name is the role, user is the actor', ROLE),
  event('role.updated', 'Role updated (T9002I); name is the role, user is the actor', ROLE),
  event('role.deleted', 'Role deleted (T9001I); name is the role, user is the actor', ROLE),
  event('lock.created', 'Lock created (TLK00I); target_* is the deprecated copy of lock_target_*', fieldsOf(METADATA, RESOURCE, USER, nested('target', LOCK_TARGET), nested('lock', nested('target', LOCK_TARGET)))),
  event('lock.deleted', 'Lock deleted (TLK01I)', fieldsOf(METADATA, RESOURCE, USER, nested('lock', nested('target', LOCK_TARGET)))),
  event('join_token.create', 'Join token created (TJT00I)', fieldsOf(METADATA, RESOURCE, USER, [
    strings('roles', 'System roles the token grants: Node, Db, …'),
    varchar('join_method', 'Join method: token, iam, github, …'),
  ])),
  event('bot.create', 'Machine ID bot created (TB001I)', fieldsOf(METADATA, RESOURCE, USER)),
  event('bot.update', 'Machine ID bot updated (TB002I)', fieldsOf(METADATA, RESOURCE, USER)),
  event('bot.delete', 'Machine ID bot deleted (TB003I)', fieldsOf(METADATA, RESOURCE, USER)),
  event('trusted_cluster.create', 'Trusted cluster created (T7000I)', fieldsOf(METADATA, RESOURCE, USER, CONNECTION)),
  event('trusted_cluster.delete', 'Trusted cluster deleted (T7001I)', fieldsOf(METADATA, RESOURCE, USER, CONNECTION)),
  event('bot.join', 'Machine ID bot joined, or failed to (TJ001I/TJ001E)', fieldsOf(METADATA, STATUS, [
    varchar('bot_name', 'Bot name'),
    varchar('method', 'Join method'),
    varchar('token_name', 'Join token name'),
    json('attributes', 'Join attributes (claims of the join provider)'),
    varchar('user_name', 'Bot user name'),
    varchar('bot_instance_id', 'Bot instance ID'),
    varchar('scope', 'Scope of a scoped bot'),
  ], CONNECTION)),
  event('instance.join', 'Teleport instance joined, or failed to (TJ002I/TJ002E)', fieldsOf(METADATA, STATUS, [
    varchar('host_id', 'Host ID'),
    varchar('node_name', 'Node name'),
    varchar('role', 'System role: Instance, Node, …'),
    varchar('method', 'Join method'),
    varchar('token_name', 'Join token name (masked)'),
    json('attributes', 'Join attributes'),
    timestamp('token_expires', 'Join token expiry (the Unix epoch for static tokens)'),
    varchar('scope', 'Scope the instance will belong to'),
    strings('roles', 'Roles the token grants'),
  ], CONNECTION)),
];
