import { z } from 'zod';

export const SchemaColumn = z.object({ name: z.string(), type: z.string(), description: z.string().optional() });
export const SchemaView = z.object({
  name: z.string(),
  /** Teleport event type the view selects (`session.start`); absent for `audit_events`. */
  eventType: z.string().optional(),
  description: z.string(),
  columns: z.array(SchemaColumn),
});
export type SchemaView = z.infer<typeof SchemaView>;
export const SchemaFunction = z.object({ name: z.string(), signature: z.string(), description: z.string() });
export const AuditSchema = z.object({ views: z.array(SchemaView), functions: z.array(SchemaFunction) });
export type AuditSchema = z.infer<typeof AuditSchema>;
