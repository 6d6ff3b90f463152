import { describe, expect, it } from 'vitest';
import { InvalidAthenaUri, parseAthenaUri } from './athena-uri';

describe('parseAthenaUri', () => {
  it('reads the database, table and the parameters Teleport documents', () => {
    expect(
      parseAthenaUri('athena://audit_db.audit_table?region=eu-central-1&workgroup=access_monitoring_workgroup&queryResultsS3=s3://audit-transient/results&locationS3=s3://audit-long-term/events'),
    ).toEqual({
      database: 'audit_db',
      table: 'audit_table',
      region: 'eu-central-1',
      workgroup: 'access_monitoring_workgroup',
      queryResultsS3: 's3://audit-transient/results',
      locationS3: 's3://audit-long-term/events',
      unknownParams: [],
    });
  });

  it('keeps the case of database and table names', () => {
    expect(parseAthenaUri('athena://Audit_DB.Events_2024')).toMatchObject({ database: 'Audit_DB', table: 'Events_2024' });
  });

  it("accepts the parameters only Teleport's event writer uses without calling them unknown", () => {
    const parsed = parseAthenaUri('athena://db.t?topicArn=arn:aws:sns:eu-central-1:1:t&largeEventsS3=s3://b/large&queueURL=https://sqs/x&limiterBurst=5&region=us-east-1');
    expect(parsed.unknownParams).toEqual([]);
    expect(parsed.region).toBe('us-east-1');
  });

  it('lists unknown parameters so the caller can warn about them', () => {
    expect(parseAthenaUri('athena://db.t?region=us-east-1&queryresultss3=s3://b/r&colour=blue').unknownParams).toEqual(['queryresultss3', 'colour']);
  });

  it.each([
    ['not a URI', 'audit_db.audit_table', /not a URI/],
    ['another scheme', 'parquet:///data/events', /scheme must be athena/],
    ['no table', 'athena://audit_db', /host must be database.table/],
    ['three parts', 'athena://a.b.c', /host must be database.table/],
    ['an empty host', 'athena:///audit_db.audit_table', /host must be database.table|unexpected path/],
    ['a table name with other characters', 'athena://db.audit-table', /table name "audit-table"/],
    ['a path', 'athena://db.t/extra', /unexpected path/],
    ['a port', 'athena://db.t:443', /port/],
    ['an S3 location that is not s3://', 'athena://db.t?queryResultsS3=https://bucket/results', /queryResultsS3: not an s3:\/\/ URI/],
    ['an S3 location without a valid bucket', 'athena://db.t?locationS3=s3://A_B/events', /locationS3: .*valid S3 bucket/],
    ['a region that is not one', 'athena://db.t?region=Frankfurt', /region "Frankfurt"/],
    ['an empty parameter', 'athena://db.t?workgroup=', /workgroup is empty/],
    ['a repeated parameter', 'athena://db.t?region=us-east-1&region=eu-west-1', /region is given more than once/],
  ])('refuses %s, saying what is wrong', (_what, uri, message) => {
    expect(() => parseAthenaUri(uri)).toThrow(InvalidAthenaUri);
    expect(() => parseAthenaUri(uri)).toThrow(message);
  });
});
