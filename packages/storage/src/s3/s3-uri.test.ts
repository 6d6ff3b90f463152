import { describe, expect, it } from 'vitest';
import { parseS3Uri } from './s3-uri';

describe('parseS3Uri', () => {
  it('splits the bucket from the prefix, ignoring a trailing slash', () => {
    expect(parseS3Uri('s3://audit-long-term/report_results')).toEqual({ bucket: 'audit-long-term', prefix: 'report_results' });
    expect(parseS3Uri('s3://audit-long-term/report_results/')).toEqual({ bucket: 'audit-long-term', prefix: 'report_results' });
    expect(parseS3Uri('s3://audit-transient/results/nested/deeper')).toEqual({ bucket: 'audit-transient', prefix: 'results/nested/deeper' });
  });

  it('gives an empty prefix for the whole bucket', () => {
    expect(parseS3Uri('s3://audit-long-term')).toEqual({ bucket: 'audit-long-term', prefix: '' });
    expect(parseS3Uri('s3://audit-long-term/')).toEqual({ bucket: 'audit-long-term', prefix: '' });
  });

  it.each([
    ['another scheme', 'file:///var/lib/access-monitor'],
    ['no bucket', 's3:///report_results'],
    ['an invalid bucket name', 's3://Audit_Bucket/x'],
    ['an empty segment', 's3://audit-long-term/a//b'],
    ['a query', 's3://audit-long-term/a?region=eu-central-1'],
  ])('refuses %s', (_, uri) => {
    expect(() => parseS3Uri(uri)).toThrow(TypeError);
  });
});
