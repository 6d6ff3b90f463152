export type { ObjectInfo, PutOptions, ByteRange, ListOptions, ObjectStore } from './object-store';
export { ObjectNotFound, PreconditionFailed, CorruptObject, InvalidKey } from './errors';
export { assertValidKey, compareKeys, MAX_KEY_BYTES } from './object-key';
export { createFsObjectStore, type FsObjectStoreOptions } from './fs/fs-object-store';
