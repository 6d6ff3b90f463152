// Application access sessions (TELEPORT-EVENTS.md §3).
import type { ViewDefinition } from '../types';
import { APP, CONNECTION, METADATA, RESOURCE, SERVER, SESSION, STATUS, USER } from './common-blocks';
import { fieldsOf, integer, varchar } from './fields';
import { event } from './view-definition';

export const APP_VIEWS: ViewDefinition[] = [
  event('app.session.start', 'Application session started, or failed (T2007I/T2007E)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, APP, [
    varchar('public_addr', 'Application public address (deprecated: see app_public_addr)'),
    ...STATUS.filter((f) => f.path[0] !== 'success'),
  ])),
  event('app.session.end', 'Application session ended (T2011I)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, APP)),
  event('app.session.chunk', 'Application session recording chunk created (T2008I)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, APP, [
    varchar('session_chunk_id', 'Chunk ID'),
  ])),
  event('app.session.request', 'HTTP request in an application session (T2009I)', fieldsOf(METADATA, [
    integer('status_code', 'HTTP response code'),
    varchar('path', 'Request path'),
    varchar('raw_query', 'Encoded query string'),
    varchar('method', 'HTTP method'),
  ], APP, [
    varchar('aws_region', 'AWS region requested'),
    varchar('aws_service', 'AWS service requested'),
    varchar('aws_host', 'AWS host requested'),
    varchar('aws_assumed_role', 'AWS role that signed the request'),
  ])),
  event('app.create', 'Application resource created', fieldsOf(METADATA, USER, RESOURCE, APP)),
  event('app.update', 'Application resource updated', fieldsOf(METADATA, USER, RESOURCE, APP)),
  event('app.delete', 'Application resource deleted', fieldsOf(METADATA, USER, RESOURCE)),
];
