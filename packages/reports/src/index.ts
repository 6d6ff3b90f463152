export { USAGE_QUERIES, usageQuery } from './usage/usage-queries';
export type { UsageQuery } from './usage/usage-queries';
