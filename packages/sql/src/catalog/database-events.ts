// Database access sessions and queries (TELEPORT-EVENTS.md §3).
import type { ViewDefinition } from '../types';
import { CLIENT, CONNECTION, DATABASE, METADATA, RESOURCE, SERVER, SESSION, STATUS, USER } from './common-blocks';
import { boolean, fieldsOf, integer, nested, strings, timestamp, varchar } from './fields';
import { event } from './view-definition';

/** CAOverrideCertificateDetails: a certificate authority override in effect when the certificate was issued. */
export const CA_OVERRIDE = nested('ca_override', [boolean('active', 'A CA override was active'), varchar('public_key_hash', 'Hash of the overriding CA key')]);

const QUERY = [varchar('db_query', 'Query text'), strings('db_query_parameters', 'Query parameters')];

export const DATABASE_VIEWS: ViewDefinition[] = [
  event('db.session.start', 'Database session started, or refused (TDB00I/TDB00W)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, STATUS, DATABASE, CLIENT, [
    integer('postgres_pid', 'PostgreSQL backend PID'),
    ...CA_OVERRIDE,
  ])),
  event('db.session.end', 'Database session ended (TDB01I)', fieldsOf(METADATA, USER, SESSION, DATABASE, CONNECTION, [
    timestamp('session_start', 'Session start'),
    timestamp('session_stop', 'Session stop'),
    strings('participants', 'Users who took part'),
  ])),
  event('db.session.query', 'Database query executed (TDB02I)', fieldsOf(METADATA, USER, SESSION, DATABASE, STATUS, QUERY)),
  event('db.session.query.failed', 'Database query failed (TDB02W)', fieldsOf(METADATA, USER, SESSION, DATABASE, STATUS, QUERY)),
  event('db.create', 'Database resource created (TDB03I)', fieldsOf(METADATA, USER, RESOURCE, DATABASE)),
  event('db.update', 'Database resource updated (TDB04I)', fieldsOf(METADATA, USER, RESOURCE, DATABASE)),
  event('db.delete', 'Database resource deleted (TDB05I)', fieldsOf(METADATA, USER, RESOURCE)),
];
