import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from './config/load-config';
import { createEngineFor, ENGINES } from './engine-for-config';

describe('the engine a config names', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'am-engine-for-config-'));
    await mkdir(path.join(root, 'events'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is built by the registry entry of the audit_events_uri scheme, with the path read against the config folder', async () => {
    const config = parseConfig(`access_monitoring:\n  report_results: file://./state\naudit_events_uri: parquet://./events\n`, { file: path.join(root, 'access-monitor.yaml'), env: {} });
    expect(config.auditEvents).toEqual({ kind: 'parquet', dir: path.join(root, 'events') });
    const engine = await createEngineFor(config, path.join(root, 'state'));
    try {
      expect(engine.name).toBe('duckdb');
    } finally {
      await engine.close();
    }
  });

  it('accepts exactly the schemes of the registry', () => {
    expect(Object.keys(ENGINES)).toEqual(['parquet', 'athena']);
    expect(parseConfig(`access_monitoring:\n  report_results: file:///tmp/r\naudit_events_uri: athena://db.events?region=eu-central-1\n`, { env: {} }).auditEvents).toEqual({
      kind: 'athena',
      uri: 'athena://db.events?region=eu-central-1',
    });
    expect(() => parseConfig(`access_monitoring:\n  report_results: file:///tmp/r\naudit_events_uri: clickhouse://db/events\n`, { env: {} })).toThrow(
      'clickhouse:// is not a supported scheme (supported: parquet, athena)',
    );
  });
});
