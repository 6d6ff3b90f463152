/** There is no object at this key. */
export class ObjectNotFound extends Error {
  override readonly name = 'ObjectNotFound';
  constructor(readonly key: string) {
    super(`no object at ${JSON.stringify(key)}`);
  }
}

/** A conditional put lost: the key exists (create-only), or its etag is not the expected one (If-Match). */
export class PreconditionFailed extends Error {
  override readonly name = 'PreconditionFailed';
  constructor(
    readonly key: string,
    /** The etag of the object now at `key`, when known; undefined when there is none. */
    readonly currentEtag: string | undefined,
    condition: 'ifNoneMatch' | 'ifMatch',
  ) {
    super(
      condition === 'ifNoneMatch'
        ? `object ${JSON.stringify(key)} already exists`
        : currentEtag === undefined
          ? `object ${JSON.stringify(key)} does not exist, so it cannot match the expected etag`
          : `object ${JSON.stringify(key)} has changed: its etag is now ${currentEtag}`,
    );
  }
}

/** The object exists but its body is not what the reader expects (not JSON, not UTF-8). */
export class CorruptObject extends Error {
  override readonly name = 'CorruptObject';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`object ${JSON.stringify(key)} is corrupt: ${reason}`);
  }
}

/** The key is not one the store accepts (see ObjectStore); `reason` says which rule it breaks. */
export class InvalidKey extends Error {
  override readonly name = 'InvalidKey';
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
  }
}
