import { describe, expect, it } from 'vitest';
import { scannedBytesToShow } from './scanned-bytes';

describe('scannedBytesToShow', () => {
  it('shows the bytes of a succeeded run', () => {
    expect(scannedBytesToShow({ state: 'SUCCEEDED', engine: 'duckdb', bytesScanned: 1_010_000 })).toBe(1_010_000);
  });

  it('claims no bytes for a failed, cancelled or running run whose engine only estimated them', () => {
    for (const state of ['FAILED', 'CANCELLED', 'RUNNING', 'QUEUED'] as const) {
      expect(scannedBytesToShow({ state, engine: 'duckdb', bytesScanned: 1_010_000 })).toBeUndefined();
    }
  });

  it('shows what Athena reported it read for a run that did not succeed', () => {
    expect(scannedBytesToShow({ state: 'FAILED', engine: 'athena', bytesScanned: 52_000 })).toBe(52_000);
    expect(scannedBytesToShow({ state: 'CANCELLED', engine: 'athena', bytesScanned: 0 })).toBeUndefined();
  });
});
