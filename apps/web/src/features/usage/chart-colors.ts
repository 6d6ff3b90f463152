import type { SessionProtocol } from '@access-monitor/contracts';

/** Stable per-protocol colours (Okabe–Ito, distinguishable with colour-vision deficiencies). */
export const PROTOCOL_COLORS: Record<SessionProtocol, string> = {
  ssh: '#5b3fd1',
  db: '#009e73',
  kube: '#0072b2',
  app: '#e69f00',
  desktop: '#cc79a7',
};

export const PROTOCOL_LABELS: Record<SessionProtocol, string> = {
  ssh: 'SSH',
  db: 'Database',
  kube: 'Kubernetes',
  app: 'App',
  desktop: 'Desktop',
};

export const MFA_COLORS = { withMfa: '#009e73', withoutMfa: '#d55e00', coverage: '#1f2937' } as const;
export const SESSIONS_COLOR = '#5b3fd1';
