// SSH and Kubernetes interactive sessions, commands and enhanced session recording (TELEPORT-EVENTS.md §3).
import type { ViewDefinition } from '../types';
import { BPF, COMMAND, CONNECTION, KUBERNETES_CLUSTER, KUBERNETES_POD, METADATA, SERVER, SESSION, STATUS, USER } from './common-blocks';
import { bigint, boolean, fieldsOf, integer, strings, timestamp, varchar } from './fields';
import { event } from './view-definition';

export const SSH_SESSION_VIEWS: ViewDefinition[] = [
  event('session.start', 'SSH or Kubernetes interactive session started (T2000I)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, KUBERNETES_CLUSTER, KUBERNETES_POD, [
    varchar('size', 'Terminal size W:H'),
    strings('initial_command', 'Command of an exec-style session'),
    varchar('session_recording', 'Recording mode: node, proxy, node-sync, proxy-sync, off'),
    strings('invited', 'Users invited to a moderated session'),
    varchar('reason', 'Reason of a moderated session'),
  ])),
  event('session.end', 'Session ended (T2004I)', fieldsOf(METADATA, USER, SESSION, CONNECTION, SERVER, KUBERNETES_CLUSTER, KUBERNETES_POD, [
    boolean('enhanced_recording', 'Enhanced recording was on'),
    boolean('interactive', 'Interactive (PTY) session; false for exec sessions'),
    strings('participants', 'Users who took part'),
    timestamp('session_start', 'Session start'),
    timestamp('session_stop', 'Session stop'),
    strings('initial_command', 'Command of an exec-style session'),
    varchar('session_recording', 'Recording mode'),
  ])),
  event('session.join', 'User joined a session (T2001I)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, KUBERNETES_CLUSTER)),
  event('session.leave', 'User left a session (T2003I)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION)),
  event('resize', 'Terminal resized (T2002I)', fieldsOf(METADATA, USER, SESSION, CONNECTION, SERVER, KUBERNETES_CLUSTER, KUBERNETES_POD, [varchar('size', 'Terminal size W:H')])),
  event('session.data', 'Bytes transferred in a session (T2006I)', fieldsOf(METADATA, USER, SESSION, SERVER, CONNECTION, [
    // Teleport: integer. Byte counts of a session pass 2^31 (2 GiB): kept bigint.
    bigint('tx', 'Bytes transmitted'),
    bigint('rx', 'Bytes received'),
  ])),
  event('session.command', 'Command executed in a session, enhanced recording (T4000I)', fieldsOf(METADATA, USER, SESSION, SERVER, BPF, [
    integer('ppid', 'Parent process ID'),
    varchar('path', 'Executable path'),
    strings('argv', 'Arguments (the first element is not the program name)'),
    integer('return_code', 'Return code'),
  ])),
  event('session.disk', 'File opened in a session, enhanced recording (T4001I)', fieldsOf(METADATA, USER, SESSION, SERVER, BPF, [
    varchar('path', 'File path'),
    integer('flags', 'open(2) flags'),
    integer('return_code', 'Return code'),
  ])),
  event('session.network', 'Network connection in a session, enhanced recording (T4002I)', fieldsOf(METADATA, USER, SESSION, SERVER, BPF, [
    varchar('src_addr', 'Source address'),
    varchar('dst_addr', 'Destination address'),
    integer('dst_port', 'Destination port'),
    integer('version', 'IP version: 4 or 6'),
    integer('operation', 'Operation: 0 connect, 1 send'),
    integer('action', 'Action: 0 observed, 1 denied'),
  ])),
  event('exec', 'Command executed over SSH or kubectl exec (T3002I/T3002E)', fieldsOf(METADATA, USER, CONNECTION, SESSION, SERVER, COMMAND, KUBERNETES_CLUSTER, KUBERNETES_POD)),
  event('session.rejected', 'Session refused by a session control restriction, e.g. max_connections (T1006W)', fieldsOf(METADATA, USER, SERVER, CONNECTION, [
    varchar('reason', 'Why the session was refused'),
    integer('max', 'The limit that was reached'),
  ])),
  event('session.connect', 'Non-Teleport connection made through a node (T2010I)', fieldsOf(METADATA, SERVER, CONNECTION)),
  event('session.upload', 'Session recording uploaded (T2005I)', fieldsOf(METADATA, SESSION, [varchar('url', 'Where the recording was uploaded')])),
  event('subsystem', 'SSH subsystem requested (T3001I/T3001E)', fieldsOf(METADATA, USER, CONNECTION, SERVER, [
    varchar('name', 'Subsystem name'),
    varchar('exitError', 'Error, on failure'),
  ])),
  event('client.disconnect', 'Client disconnected by the server, e.g. for idleness (T3006I)', fieldsOf(METADATA, USER, CONNECTION, SERVER, [
    varchar('reason', 'Why the client was disconnected'),
  ])),
  event('x11-forward', 'X11 forwarding requested (T3008I/T3008W)', fieldsOf(METADATA, USER, CONNECTION, STATUS, SERVER)),
];
