// Access requests (TELEPORT-EVENTS.md §3). create, update and review share one message (AccessRequestCreate).
import type { ViewDefinition } from '../types';
import { METADATA, RESOURCE, USER } from './common-blocks';
import { fieldsOf, json, labels, rows, strings, timestamp, varchar } from './fields';
import { event } from './view-definition';

const ACCESS_REQUEST = fieldsOf(METADATA, USER, RESOURCE, [
  strings('roles', 'Requested roles'),
  varchar('id', 'Access request ID'),
  varchar('state', 'Request state: PENDING, APPROVED, DENIED, …'),
  varchar('delegator', 'Delegator'),
  varchar('reason', 'Reason given'),
  json('annotations', 'Annotations'),
  varchar('reviewer', 'Reviewer (review only)'),
  varchar('proposed_state', 'State the reviewer proposed (review only)'),
  rows(
    'resource_ids',
    [
      { name: 'cluster', type: 'varchar' },
      { name: 'kind', type: 'varchar' },
      { name: 'name', type: 'varchar' },
      { name: 'sub_resource', type: 'varchar' },
    ],
    'Requested resources',
  ),
  timestamp('max_duration', 'Maximum duration of the elevated access'),
  varchar('promoted_access_list_name', 'Access list the request was promoted to'),
  timestamp('assume_start_time', 'When the access can be assumed'),
  strings('resource_names', 'Names of the requested resources'),
  varchar('submitted_by', 'Plugin identity that submitted the review for the reviewer (review only)'),
]);

export const ACCESS_REQUEST_VIEWS: ViewDefinition[] = [
  event('access_request.create', 'Access request created (T5000I)', ACCESS_REQUEST),
  event('access_request.update', 'Access request state changed (T5001I)', ACCESS_REQUEST),
  event('access_request.review', 'Access request reviewed (T5002I); state is the state after the review', ACCESS_REQUEST),
  event('access_request.delete', 'Access request deleted (T5003I)', fieldsOf(METADATA, USER, [varchar('id', 'Access request ID')])),
  event('access_request.search', 'Resources searched for a search-based access request (T5004I)', fieldsOf(METADATA, USER, [
    strings('search_as_roles', 'Roles the search was performed as'),
    varchar('resource_type', 'Resource type searched for'),
    varchar('namespace', 'Namespace of the resources'),
    ...labels('labels', 'Label matcher'),
    varchar('predicate_expression', 'Predicate expression'),
    strings('search_keywords', 'Search keywords'),
  ])),
  event('access_request.expire', 'Access request expired (T5005I)', fieldsOf(METADATA, RESOURCE, [
    varchar('id', 'Access request ID'),
    timestamp('expiry', 'When the access request resource expires'),
  ])),
];
