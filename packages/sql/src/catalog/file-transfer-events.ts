// Port forwarding and file transfers (TELEPORT-EVENTS.md §3).
import type { ViewDefinition } from '../types';
import { COMMAND, CONNECTION, KUBERNETES_CLUSTER, KUBERNETES_POD, METADATA, SERVER, SESSION, STATUS, USER } from './common-blocks';
import { bigint, fieldsOf, integer, nested, varchar } from './fields';
import { event } from './view-definition';

export const FILE_TRANSFER_VIEWS: ViewDefinition[] = [
  event('port', 'Port forwarding (T3003I/S/E)', fieldsOf(METADATA, USER, CONNECTION, STATUS, KUBERNETES_CLUSTER, KUBERNETES_POD, [
    varchar('addr', 'Forwarded address'),
  ])),
  event('scp', 'SCP upload or download (T3004I/E, T3005I/E, T3010E)', fieldsOf(METADATA, USER, CONNECTION, SESSION, SERVER, COMMAND, [
    varchar('path', 'File path'),
    varchar('action', 'upload or download'),
  ])),
  event('sftp', 'SFTP operation (TS0nnI/E)', fieldsOf(METADATA, USER, CONNECTION, SESSION, SERVER, [
    varchar('working_directory', 'Working directory'),
    varchar('path', 'Path'),
    varchar('target_path', 'Target path (rename, link)'),
    integer('flags', 'Open flags'),
    ...nested('attributes', [
      // Teleport: integer. uint64 sizes and uint32 ids pass 2^31 (files over 2 GiB, nobody = 4294967294): kept bigint.
      bigint('file_size', 'File size'),
      bigint('uid', 'Owner UID'),
      bigint('gid', 'Owner GID'),
      integer('permissions', 'Permission bits'),
      varchar('access_time', 'Access time (RFC 3339 text)'),
      varchar('modification_time', 'Modification time (RFC 3339 text)'),
    ]),
    integer('action', 'Action: 1 open, 2 close, 3 read, 4 write, … 19 link'),
    varchar('error', 'Error'),
  ])),
];
