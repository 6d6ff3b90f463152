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
