/** Errors raised by the server itself. Engine and SQL errors have their own classes in their packages. */
export class InvalidWindow extends Error {
  override name = 'InvalidWindow';
}

export class NotFound extends Error {
  override name = 'NotFound';
}

/** A query the server ran on the user's behalf (a usage chart) did not succeed. */
export class EngineFailed extends Error {
  override name = 'EngineFailed';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The caller already has `limits.max_running_per_user` queries queued or running. */
export class TooManyRunningQueries extends Error {
  override name = 'TooManyRunningQueries';
}

/** Someone saved in between: carries the revision the caller should reload or overwrite deliberately. */
export class RevisionConflict extends Error {
  override name = 'RevisionConflict';
  constructor(
    message: string,
    readonly current?: { revision: number; etag: string; value: unknown },
  ) {
    super(message);
  }
}

/** A save without If-Match (update) or If-None-Match: * (create). */
export class PreconditionRequired extends Error {
  override name = 'PreconditionRequired';
}
