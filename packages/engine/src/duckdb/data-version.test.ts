import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { windowDataVersion } from './data-version';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'data-version-'));
  await mkdir(path.join(dir, '2026-01-10'));
  await writeFile(path.join(dir, '2026-01-10', 'a.parquet'), 'chunk a');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const WINDOW = { start: '2026-01-08', end: '2026-01-14' };

describe('windowDataVersion', () => {
  it('stays the same while nothing changes and changes when a chunk arrives in the window', async () => {
    const before = await windowDataVersion(dir, WINDOW);
    expect(await windowDataVersion(dir, WINDOW)).toBe(before);
    await mkdir(path.join(dir, '2026-01-13'));
    await writeFile(path.join(dir, '2026-01-13', 'b.parquet'), 'chunk b');
    expect(await windowDataVersion(dir, WINDOW)).not.toBe(before);
  });

  it('ignores chunks still being written and days outside the window', async () => {
    const before = await windowDataVersion(dir, WINDOW);
    await writeFile(path.join(dir, '2026-01-10', '.c.parquet.tmp'), 'half');
    await mkdir(path.join(dir, '2026-01-20'));
    await writeFile(path.join(dir, '2026-01-20', 'd.parquet'), 'later');
    expect(await windowDataVersion(dir, WINDOW)).toBe(before);
  });

  it('changes when a chunk of the window is rewritten', async () => {
    const before = await windowDataVersion(dir, WINDOW);
    await writeFile(path.join(dir, '2026-01-10', 'a.parquet'), 'chunk a, rebuilt longer');
    expect(await windowDataVersion(dir, WINDOW)).not.toBe(before);
  });
});
