// Device Trust: device enrollment and authentication. Both are Teleport's DeviceEvent2 message
// (gen/go/eventschema DeviceEvent2): Metadata, UserMetadata, Status and the `device` in question.
import type { ViewDefinition } from '../types';
import { METADATA, STATUS, USER } from './common-blocks';
import { boolean, fieldsOf, integer, nested, varchar } from './fields';
import { event } from './view-definition';

const DEVICE_EVENT = fieldsOf(METADATA, USER, STATUS, nested('device', [
  varchar('device_id', 'Device ID'),
  integer('os_type', 'Device OS type (1 Linux, 2 macOS, 3 Windows)'),
  varchar('asset_tag', 'Device asset tag (inventory identifier)'),
  varchar('credential_id', 'Device credential ID'),
  integer('device_origin', 'Device origin (1 API, 2 Jamf, 3 Intune)'),
  boolean('web_authentication', 'Device authenticated on behalf of a web session (recent Teleport versions)'),
  varchar('web_authentication_id', 'Web authentication ID (recent Teleport versions)'),
]));

export const DEVICE_TRUST_VIEWS: ViewDefinition[] = [
  event('device.enroll', 'Device enrolled as a trusted device, or the attempt failed (TV005I; success tells)', DEVICE_EVENT),
  event('device.authenticate', 'Trusted device authenticated, or the attempt failed (TV006I; success tells); trusted_device_* is set on success', DEVICE_EVENT),
];
