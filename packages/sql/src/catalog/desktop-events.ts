// Windows desktop access sessions (TELEPORT-EVENTS.md §3).
import type { ViewDefinition } from '../types';
import { CONNECTION, METADATA, SESSION, STATUS, USER, WINDOWS_DESKTOP } from './common-blocks';
import { boolean, fieldsOf, integer, nested, strings, timestamp, varchar } from './fields';
import { CA_OVERRIDE } from './database-events';
import { event } from './view-definition';

const DESKTOP = [
  ...WINDOWS_DESKTOP,
  varchar('desktop_name', 'Desktop name'),
  boolean('allow_user_creation', 'Automatic user creation allowed'),
  boolean('nla', 'Network Level Authentication used'),
];

const CERTIFICATE = nested('certificate', [
  varchar('subject', 'Certificate subject'),
  varchar('serial_number', 'Certificate serial number'),
  varchar('upn', 'User principal name'),
  strings('crl_distribution_points', 'CRL distribution points'),
  integer('key_usage', 'Key usage bits'),
  strings('extended_key_usage', 'Extended key usage codes (numbers as text)'),
  strings('enhanced_key_usage', 'Enhanced key usage'),
]);

export const DESKTOP_VIEWS: ViewDefinition[] = [
  event('windows.desktop.session.start', 'Windows desktop session started, or refused (TDP00I/TDP00W)', fieldsOf(METADATA, USER, SESSION, CONNECTION, STATUS, DESKTOP, CERTIFICATE, CA_OVERRIDE)),
  event('windows.desktop.session.end', 'Windows desktop session ended (TDP01I)', fieldsOf(METADATA, USER, SESSION, DESKTOP, [
    timestamp('session_start', 'Session start'),
    timestamp('session_stop', 'Session stop'),
    boolean('recorded', 'Session was recorded'),
    strings('participants', 'Users who took part'),
  ], CONNECTION)),
];
