import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Local files written whole or not at all: the one temp-file-and-rename (and exclusive create) of the
 * project, for state kept beside the object store (users, keys, engine status, follow positions).
 */

/** Replaces `file` in one step (temp file + rename, fsynced), so readers never see half a file. */
export async function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = await writeTemp(file, content, mode);
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
}

/**
 * Creates `file` with the full content, or returns false when it already exists. `link` fails on an existing
 * target, so two processes racing to create it never overwrite each other or read a partly written file.
 */
export async function createFileExclusive(file: string, content: string | Uint8Array, mode = 0o644): Promise<boolean> {
  const temp = await writeTemp(file, content, mode);
  try {
    await link(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

async function writeTemp(file: string, content: string | Uint8Array, mode: number): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode); // the umask may have narrowed or the caller may widen (an existing file's mode)
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await handle.close();
  return temp;
}
