/** Where a store lives in S3: `s3://<bucket>/<prefix>`, as in `access_monitoring.report_results`. */
export interface S3Location {
  bucket: string;
  /** Without leading or trailing `/`; empty for the whole bucket. */
  prefix: string;
}

// S3's bucket naming rules (general purpose buckets): 3–63 of a-z 0-9 . -, starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/some/prefix` (a trailing `/` is optional); throws TypeError naming what is wrong. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/.exec(uri);
  if (!match) throw new TypeError(`not an s3:// URI: ${JSON.stringify(uri)}`);
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket)) throw new TypeError(`${JSON.stringify(uri)} does not name a valid S3 bucket`);
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  if (prefix !== '' && prefix.split('/').includes('')) throw new TypeError(`${JSON.stringify(uri)} has an empty segment in its prefix`);
  return { bucket, prefix };
}
