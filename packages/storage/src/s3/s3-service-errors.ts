/**
 * Classifies the errors the S3 client throws, by HTTP status and S3 error code (never by message
 * text). HEAD responses have no body, so for them only the status is known.
 */

interface ServiceErrorShape {
  name?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as ServiceErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(error: unknown): string | undefined {
  const e = error as ServiceErrorShape | null;
  if (typeof e?.Code === 'string') return e.Code;
  return typeof e?.name === 'string' ? e.name : undefined;
}

/** No object at the key (404 NoSuchKey, or a bodiless 404 to a HEAD); a missing bucket is not this. */
export function isNoSuchKey(error: unknown): boolean {
  return statusOf(error) === 404 && codeOf(error) !== 'NoSuchBucket';
}

/** 412 PreconditionFailed: an If-None-Match/If-Match condition did not hold. */
export function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412;
}

/** 409 ConditionalRequestConflict: S3 saw a concurrent conditional write to the key and refused this one. */
export function isConditionalRequestConflict(error: unknown): boolean {
  return statusOf(error) === 409 && codeOf(error) === 'ConditionalRequestConflict';
}

/** 416 InvalidRange: the range starts at or past the end of the object. */
export function isInvalidRange(error: unknown): boolean {
  return statusOf(error) === 416;
}
