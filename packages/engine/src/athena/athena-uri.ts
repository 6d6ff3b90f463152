import { parseS3Uri } from '@access-monitor/storage';

/** Teleport's `audit_events_uri` for the Athena audit backend, as far as querying needs it. */
export interface AthenaUri {
  /** Glue database. */
  database: string;
  /** Glue table holding one row per audit event. */
  table: string;
  region?: string;
  workgroup?: string;
  /** `s3://…` where Athena writes query results (its ResultConfiguration.OutputLocation). */
  queryResultsS3?: string;
  /** `s3://…` where the audit events' Parquet lives (the table's location). */
  locationS3?: string;
  /** Parameters neither this service nor Teleport's Athena backend knows: ignored, worth a warning. */
  unknownParams: string[];
}

/** The `audit_events_uri` is not a usable `athena://database.table?…` URI; the message names what is wrong. */
export class InvalidAthenaUri extends Error {
  override readonly name = 'InvalidAthenaUri';
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(`invalid athena URI ${JSON.stringify(uri)}: ${reason}`);
  }
}

/** Parameters Teleport's Athena backend reads (lib/events/athena SetFromURL) that only its writer uses. */
const TELEPORT_ONLY_PARAMS = new Set([
  'topicArn',
  'largeEventsS3',
  'queueURL',
  'getQueryResultsInterval',
  'disableSearchCostOptimization',
  'limiterRefillAmount',
  'limiterRefillTime',
  'limiterBurst',
  'batchMaxItems',
  'batchMaxInterval',
  'consumerLockName',
  'consumerDisabled',
]);
const QUERY_PARAMS = ['region', 'workgroup', 'queryResultsS3', 'locationS3'] as const;

// Teleport's rule for the host part: database.table, each [a-zA-Z0-9_]+.
const NAME = /^[A-Za-z0-9_]{1,255}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;
const WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Parses Teleport's Athena `audit_events_uri`, `athena://database.table?region=…&workgroup=…&queryResultsS3=s3://…&locationS3=s3://…`,
 * with the parameter names Teleport documents. Parameters only Teleport's event writer uses are
 * accepted silently; anything else is listed in `unknownParams`.
 */
export function parseAthenaUri(uri: string): AthenaUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidAthenaUri(uri, 'not a URI; expected athena://database.table?region=…&queryResultsS3=s3://…');
  }
  if (url.protocol !== 'athena:') throw new InvalidAthenaUri(uri, `the scheme must be athena://, not ${url.protocol}//`);
  if (url.username || url.password || url.port) throw new InvalidAthenaUri(uri, 'user, password and port have no meaning here; expected athena://database.table');
  if (url.pathname !== '' && url.pathname !== '/') throw new InvalidAthenaUri(uri, `unexpected path ${JSON.stringify(url.pathname)}; expected athena://database.table`);
  if (url.hash) throw new InvalidAthenaUri(uri, 'a #fragment has no meaning here');
  const parts = url.hostname.split('.');
  if (parts.length !== 2) throw new InvalidAthenaUri(uri, `the host must be database.table, got ${JSON.stringify(url.hostname)}`);
  const [database, table] = parts as [string, string];
  for (const [what, name] of [['database', database], ['table', table]] as const) {
    if (!NAME.test(name)) throw new InvalidAthenaUri(uri, `the ${what} name ${JSON.stringify(name)} must be letters, digits and underscores`);
  }

  const params = url.searchParams;
  const result: AthenaUri = { database, table, unknownParams: [] };
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) throw new InvalidAthenaUri(uri, `the parameter ${key} is given more than once`);
    if (!(QUERY_PARAMS as readonly string[]).includes(key) && !TELEPORT_ONLY_PARAMS.has(key)) result.unknownParams.push(key);
  }
  for (const key of QUERY_PARAMS) {
    const value = params.get(key);
    if (value === null) continue;
    if (value === '') throw new InvalidAthenaUri(uri, `the parameter ${key} is empty`);
    result[key] = value;
  }
  if (result.region !== undefined && !REGION.test(result.region)) throw new InvalidAthenaUri(uri, `region ${JSON.stringify(result.region)} is not an AWS region such as eu-central-1`);
  if (result.workgroup !== undefined && !WORKGROUP.test(result.workgroup)) {
    throw new InvalidAthenaUri(uri, `workgroup ${JSON.stringify(result.workgroup)} must be 1-128 letters, digits, '.', '_' or '-'`);
  }
  for (const key of ['queryResultsS3', 'locationS3'] as const) {
    const value = result[key];
    if (value === undefined) continue;
    try {
      parseS3Uri(value);
    } catch (e) {
      throw new InvalidAthenaUri(uri, `${key}: ${(e as Error).message}`);
    }
  }
  return result;
}
