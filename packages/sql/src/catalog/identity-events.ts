// Logins, authentication attempts, certificates, users and MFA devices (TELEPORT-EVENTS.md §2, §3).
import type { ViewDefinition } from '../types';
import { CLIENT, CONNECTION, METADATA, RESOURCE, SERVER, SESSION, STATUS, USER, APP } from './common-blocks';
import { boolean, fieldsOf, integer, json, nested, rows, strings, timestamp, varchar } from './fields';
import { event } from './view-definition';

const MFA_DEVICE = [
  varchar('mfa_device_name', 'MFA device name'),
  varchar('mfa_device_uuid', 'MFA device UUID'),
  varchar('mfa_device_type', 'MFA device type: TOTP, WebAuthn, SSO, …'),
  boolean('mfa_via_browser', 'MFA done in the browser for a CLI session'),
];

const MFA_CHALLENGE = [
  varchar('challenge_scope', 'Scope of the challenge: CHALLENGE_SCOPE_LOGIN, …'),
  boolean('challenge_allow_reuse', 'The challenge may be reused'),
  integer('flow_type', 'MFA flow: 1 per-session certificate, 2 in-band'),
];

const RESOURCE_ID_ROW = [
  { name: 'cluster', type: 'varchar' as const },
  { name: 'kind', type: 'varchar' as const },
  { name: 'name', type: 'varchar' as const },
  { name: 'sub_resource', type: 'varchar' as const },
];

const IDENTITY = nested('identity', [
  varchar('user', 'Certificate user'),
  varchar('impersonator', 'Impersonator'),
  strings('roles', 'Roles'),
  strings('usage', 'Usage restrictions'),
  strings('logins', 'Allowed logins'),
  strings('kubernetes_groups', 'Kubernetes groups'),
  strings('kubernetes_users', 'Kubernetes users'),
  timestamp('expires', 'Certificate expiry'),
  varchar('route_to_cluster', 'Cluster the certificate routes to'),
  varchar('kubernetes_cluster', 'Kubernetes cluster the certificate routes to'),
  json('traits', 'User traits'),
  ...nested('route_to_app', [
    varchar('name', 'Application name'),
    varchar('session_id', 'Application session ID'),
    varchar('public_addr', 'Application public address'),
    varchar('cluster_name', 'Application cluster'),
    varchar('aws_role_arn', 'AWS role ARN'),
    varchar('azure_identity', 'Azure identity'),
    varchar('gcp_service_account', 'GCP service account'),
    varchar('uri', 'Application URI'),
    integer('target_port', 'Target port'),
  ]),
  varchar('teleport_cluster', 'Teleport cluster'),
  ...nested('route_to_database', [
    varchar('service_name', 'Database service'),
    varchar('protocol', 'Database protocol'),
    varchar('username', 'Database user'),
    varchar('database', 'Database name'),
    strings('roles', 'Database roles'),
  ]),
  strings('database_names', 'Allowed database names'),
  strings('database_users', 'Allowed database users'),
  varchar('mfa_device_uuid', 'MFA device that confirmed the identity, when issued right after an MFA check'),
  varchar('client_ip', 'Client IP'),
  strings('aws_role_arns', 'Allowed AWS role ARNs'),
  strings('access_requests', 'Access requests the certificate carries'),
  boolean('disallow_reissue', 'Reissue is not allowed'),
  rows('allowed_resource_ids', RESOURCE_ID_ROW, 'Resources a resource access request allows'),
  timestamp('prev_identity_expires', 'Expiry of the parent identity'),
  strings('azure_identities', 'Allowed Azure identities'),
  strings('gcp_service_accounts', 'Allowed GCP service accounts'),
  varchar('private_key_policy', 'Private key policy'),
  varchar('bot_name', 'Bot name'),
  ...nested('device_extensions', [
    varchar('device_id', 'Trusted device ID'),
    varchar('asset_tag', 'Device asset tag'),
    varchar('credential_id', 'Device credential ID'),
  ]),
  varchar('bot_instance_id', 'Bot instance ID'),
  varchar('join_token', 'Join token a bot used'),
  boolean('bot_internal', 'Certificate for internal bot use'),
]);

export const IDENTITY_VIEWS: ViewDefinition[] = [
  event('user.login', 'Local, SSO or headless login, successful or not (T1000I/W, T1001I/W, T1010I, T1011W, T1012I–T1014W)', fieldsOf(METADATA, USER, STATUS, CLIENT, CONNECTION, [
    varchar('method', 'Login method: local, oidc, saml, github, headless, …'),
    json('attributes', 'Identity provider attributes'),
    ...nested('mfa_device', MFA_DEVICE),
    strings('applied_login_rules', 'Login rules applied'),
    varchar('connector_id', 'SSO connector'),
  ])),
  event('auth', 'Authentication attempt (T3007W)', fieldsOf(METADATA, USER, CONNECTION, STATUS, SERVER, APP)),
  event('cert.create', 'Certificate issued (TC000I)', fieldsOf(METADATA, [varchar('cert_type', 'Certificate type: user, …')], IDENTITY, CLIENT, nested('certificate_authority', [
    varchar('type', 'Certificate authority type'),
    varchar('domain', 'Certificate authority domain'),
    varchar('subject_key_id', 'Subject key ID of the signing key'),
  ]))),
  event('user.create', 'User created (T1002I); name is the new user, user is the actor', fieldsOf(METADATA, USER, RESOURCE, CONNECTION, [
    strings('roles', 'Roles of the user'),
    varchar('connector', 'Connector: local, or the SSO connector'),
  ])),
  event('user.update', 'User updated (T1003I); name is the user, user is the actor', fieldsOf(METADATA, USER, RESOURCE, CONNECTION, [
    strings('roles', 'Roles of the user'),
    varchar('connector', 'Connector: local, or the SSO connector'),
  ])),
  event('user.delete', 'User deleted (T1004I); name is the user, user is the actor', fieldsOf(METADATA, USER, RESOURCE, CONNECTION)),
  event('user.password_change', 'Password changed (T1005I)', fieldsOf(METADATA, USER, CONNECTION)),
  event('mfa.add', 'MFA device added (T1006I)', fieldsOf(METADATA, USER, MFA_DEVICE, CONNECTION)),
  event('mfa.delete', 'MFA device deleted (T1007I)', fieldsOf(METADATA, USER, MFA_DEVICE, CONNECTION)),
  event('mfa_auth_challenge.create', 'MFA challenge created (T1015I)', fieldsOf(METADATA, USER, MFA_CHALLENGE)),
  event('mfa_auth_challenge.validate', 'MFA challenge response validated, or refused (T1016I/T1016W)', fieldsOf(METADATA, USER, STATUS, nested('mfa_device', MFA_DEVICE), MFA_CHALLENGE)),
  event('recovery_code.generated', 'Recovery codes generated (T1008I)', fieldsOf(METADATA, USER)),
  event('recovery_code.used', 'Recovery code used, successfully or not (T1009I/T1009W)', fieldsOf(METADATA, USER, STATUS)),
  // UserTokenCreate (gen/go/eventschema): name is the user the token is for, user the actor, ttl its lifetime.
  event('reset_password_token.create', 'Password reset (or invite) token created (T6000I); name is the user it is for, user is the actor', fieldsOf(METADATA, RESOURCE, USER)),
  // SAMLIdPAuthAttempt (gen/go/eventschema): a user signing in to a service provider through Teleport's SAML IdP.
  event('saml.idp.auth', "Sign-in to a SAML service provider through Teleport's SAML IdP, successful or not (TSI000I)", fieldsOf(METADATA, USER, SESSION, STATUS, [
    varchar('service_provider_entity_id', 'Entity ID of the service provider'),
    varchar('service_provider_shortcut', 'Shortcut name of the service provider'),
  ])),
];
