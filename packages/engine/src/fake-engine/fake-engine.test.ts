import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFixtureParquet } from '../duckdb/fixture-parquet';
import { createEngine, parseEngineUri, type EngineRegistry } from '../engine-registry';
import { EngineClosed } from '../errors';
import { describeQueryEngineContract } from '../query-engine.contract';
import { FIXTURE_WINDOW } from '../query-engine.fixture';
import { fakeEngineEntry } from './fake-engine';

// The whole registration of a third engine: one line (the folder beside this test is the rest).
const ENGINES = { fake: fakeEngineEntry } satisfies EngineRegistry<{ resultsDir: string }>;

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** A fake engine over the fixture's events, chosen from the registry by the scheme of its URI. */
async function fakeEngineOver(events: Parameters<typeof writeFixtureParquet>[0]) {
  const root = await mkdtemp(path.join(tmpdir(), 'am-fake-engine-'));
  roots.push(root);
  await mkdir(path.join(root, 'events'));
  await writeFixtureParquet(events, path.join(root, 'events'));
  return createEngine(ENGINES, parseEngineUri(ENGINES, 'fake://./events', root), { resultsDir: path.join(root, 'results') });
}

describeQueryEngineContract('fake (a third engine from one folder and one registry line)', (fixture) => fakeEngineOver(fixture.events));

describe('a third engine from the registry', () => {
  it('is reported under its own name', async () => {
    const engine = await fakeEngineOver([]);
    expect(engine.name).toBe('fake');
    await engine.close();
  });

  it('refuses to start once closed', async () => {
    const engine = await fakeEngineOver([]);
    await engine.close();
    await expect(engine.start({ sql: 'SELECT 1', window: FIXTURE_WINDOW, token: 'closed' })).rejects.toBeInstanceOf(EngineClosed);
  });

  it('names the supported schemes when a URI names none of them', () => {
    expect(() => parseEngineUri(ENGINES, 'mysql://db', '/')).toThrow('mysql:// is not a supported scheme (supported: fake)');
  });
});
