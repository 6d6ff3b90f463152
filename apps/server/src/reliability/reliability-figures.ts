import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `RELIABILITY_LONG=1` runs the long variants: the full corpus through the CLI, more fuzz cases, 50 users for 60 s. */
export const LONG = process.env.RELIABILITY_LONG === '1';

/** Where the last run's figures go (the repository's .tmp/ is git-ignored); the README quotes them. */
export const FIGURES_FILE = fileURLToPath(new URL('../../../../.tmp/reliability-figures.json', import.meta.url));

/**
 * Prints one part's figures as a single `RELIABILITY {...}` line and merges them into FIGURES_FILE
 * under the part's name. Test files run in parallel workers, so the merge holds a lock file.
 */
export async function recordFigures(part: string, figures: Record<string, unknown>): Promise<void> {
  const entry = { ...figures, long: LONG, at: new Date().toISOString() };
  console.log(`RELIABILITY ${JSON.stringify({ part, ...entry })}`);
  await mkdir(path.dirname(FIGURES_FILE), { recursive: true });
  const lock = `${FIGURES_FILE}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      await (await open(lock, 'wx')).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 200) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    const current = await readFile(FIGURES_FILE, 'utf8')
      .then((text) => JSON.parse(text) as Record<string, unknown>)
      .catch(() => ({}));
    const tmp = `${FIGURES_FILE}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ ...current, [part]: entry }, null, 2)}\n`);
    await rename(tmp, FIGURES_FILE);
  } finally {
    await rm(lock, { force: true });
  }
}

/** The p-th percentile (0–100) of some durations, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
