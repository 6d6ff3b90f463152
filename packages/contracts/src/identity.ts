import { z } from 'zod';

export const AUTH_MODES = ['local', 'teleport'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** `POST /api/v1/login` (local mode). */
export const LoginRequest = z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(1024) }).strict();
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `GET /api/v1/me`: who the caller is and what their roles let them do, per resource kind. */
export const Me = z.object({
  username: z.string(),
  roles: z.array(z.string()),
  authMode: z.enum(AUTH_MODES),
  /** Verbs granted per kind (`security_report`, `audit_query`, `response_action`), for hiding controls. */
  verbs: z.record(z.string(), z.array(z.string())),
  /** Teleport's web UI and cluster, for 'Play in Teleport' links; absent without `teleport.proxy_url`. */
  sessionPlayer: z.object({ proxyUrl: z.string(), cluster: z.string() }).optional(),
});
export type Me = z.infer<typeof Me>;
