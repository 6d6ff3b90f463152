// Access lists and their members. Columns as Teleport's generated event schema lists them
// (gen/go/eventschema: AccessListCreate/Update/Delete, AccessListMember*): Metadata, ResourceMetadata
// and Status, no UserMetadata — the actor is `updated_by`, and the audit table's `user` is empty.
import type { ViewDefinition } from '../types';
import { METADATA, RESOURCE, STATUS } from './common-blocks';
import { fieldsOf, rows, varchar } from './fields';
import { event } from './view-definition';

const ACCESS_LIST = fieldsOf(METADATA, RESOURCE, STATUS);

/** AccessListMemberMetadata: the list and every member the change touched. */
const ACCESS_LIST_MEMBERS = fieldsOf(METADATA, RESOURCE, STATUS, [
  varchar('access_list_name', 'Access list the members are added to or removed from'),
  varchar('access_list_title', 'Title of the access list (recent Teleport versions)'),
  rows(
    'members',
    [
      { name: 'joined_on', type: 'varchar' },
      { name: 'member_name', type: 'varchar' },
      { name: 'reason', type: 'varchar' },
      { name: 'removed_on', type: 'varchar' },
    ],
    'Members affected: name, reason, when they joined and (deletes only) when they were removed (RFC 3339 text)',
  ),
]);

export const ACCESS_LIST_VIEWS: ViewDefinition[] = [
  event('access_list.create', 'Access list created (TAL001I, TAL001E on failure); name is the list, updated_by the actor', ACCESS_LIST),
  event('access_list.update', 'Access list updated (TAL002I, TAL002E on failure); name is the list, updated_by the actor', ACCESS_LIST),
  event('access_list.delete', 'Access list deleted (TAL003I, TAL003E on failure); name is the list, updated_by the actor', ACCESS_LIST),
  event('access_list.member.create', 'Members added to an access list (TAL005I, TAL005E on failure); updated_by is the actor', ACCESS_LIST_MEMBERS),
  event('access_list.member.update', 'Access list members updated (TAL006I, TAL006E on failure); updated_by is the actor', ACCESS_LIST_MEMBERS),
  event('access_list.member.delete', 'Members removed from an access list (TAL007I, TAL007E on failure); updated_by is the actor', ACCESS_LIST_MEMBERS),
  // The type Teleport emits (lib/events AccessListMemberDeleteAllForAccessListEvent); its web UI calls it
  // access_list.member.delete_all_members, a name no stored event carries.
  event(
    'access_list.member.delete_all_for_access_list',
    'Every member removed from an access list (TAL008I, TAL008E on failure); updated_by is the actor',
    ACCESS_LIST_MEMBERS,
  ),
];
