export type { ObjectInfo, PutOptions, ByteRange, ListOptions, ObjectStore } from './object-store';
export { ObjectNotFound, PreconditionFailed, CorruptObject, InvalidKey } from './errors';
export { assertValidKey, compareKeys, MAX_KEY_BYTES } from './object-key';
export { createFsObjectStore, type FsObjectStoreOptions } from './fs/fs-object-store';
export { createS3ObjectStore, createS3Client, type S3ObjectStoreOptions } from './s3/s3-object-store';
export { parseS3Uri, type S3Location } from './s3/s3-uri';
export { ObjectChangedDuringRead } from './s3/resuming-body';
export { writeFileAtomic, createFileExclusive } from './fs/atomic-file';
