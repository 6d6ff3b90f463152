// Kubernetes API requests (TELEPORT-EVENTS.md §3). kubectl exec is the `exec` view with proto = 'kube'.
import type { ViewDefinition } from '../types';
import { CONNECTION, KUBERNETES_CLUSTER, METADATA, SERVER, SESSION, USER } from './common-blocks';
import { fieldsOf, integer, varchar } from './fields';
import { event } from './view-definition';

export const KUBE_VIEWS: ViewDefinition[] = [
  event('kube.request', 'Kubernetes API request (T3009I)', fieldsOf(METADATA, USER, CONNECTION, SERVER, SESSION, KUBERNETES_CLUSTER, [
    varchar('request_path', 'Request path'),
    varchar('verb', 'HTTP verb'),
    varchar('resource_api_group', 'API group of the resource'),
    varchar('resource_namespace', 'Namespace of the resource'),
    varchar('resource_kind', 'Kind of the resource'),
    varchar('resource_name', 'Name of the resource'),
    integer('response_code', 'HTTP response code'),
  ])),
];
