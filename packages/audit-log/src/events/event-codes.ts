// Event codes from Teleport's lib/events/codes.go (TELEPORT-EVENTS.md §4) for the event
// types this package models. Suffix I/W/E = info/warning/error.
export const EventCode = {
  SessionStart: 'T2000I',
  SessionEnd: 'T2004I',
  AppSessionStart: 'T2007I',
  AppSessionStartFailure: 'T2007E',
  Exec: 'T3002I',
  ExecFailure: 'T3002E',
  KubeRequest: 'T3009I',
  UserLocalLogin: 'T1000I',
  UserLocalLoginFailure: 'T1000W',
  UserSSOLogin: 'T1001I',
  UserSSOLoginFailure: 'T1001W',
  UserCreate: 'T1002I',
  AccessRequestCreate: 'T5000I',
  AccessRequestReview: 'T5002I',
  RoleCreated: 'T9000I',
  RoleDeleted: 'T9001I',
  RoleUpdated: 'T9002I',
  DatabaseSessionStart: 'TDB00I',
  DatabaseSessionStartFailure: 'TDB00W',
  DatabaseSessionEnd: 'TDB01I',
  DesktopSessionStart: 'TDP00I',
  DesktopSessionStartFailure: 'TDP00W',
  DesktopSessionEnd: 'TDP01I',
  LockCreated: 'TLK00I',
  LockDeleted: 'TLK01I',
  CertificateCreate: 'TC000I',
  InstanceJoin: 'TJ002I',
  InstanceJoinFailure: 'TJ002E',
} as const;

export type EventCode = (typeof EventCode)[keyof typeof EventCode];
