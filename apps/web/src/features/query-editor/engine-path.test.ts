import { describe, expect, it } from 'vitest';
import { enginePathLabel } from './engine-path';

describe('enginePathLabel', () => {
  it('names the typed store, JSON extraction or both, and nothing when the engine does not say', () => {
    expect(enginePathLabel({ enginePath: { typedDays: 30, jsonDays: 0 } })?.label).toBe('Typed store');
    expect(enginePathLabel({ enginePath: { typedDays: 0, jsonDays: 7 } })?.label).toBe('JSON');
    expect(enginePathLabel({ enginePath: { typedDays: 29, jsonDays: 1 } })).toEqual({ label: 'Typed store + JSON', title: '29 days from the typed event store, 1 day by JSON extraction (not built yet)' });
    expect(enginePathLabel({})).toBeUndefined();
    expect(enginePathLabel({ enginePath: { typedDays: 0, jsonDays: 0 } })).toBeUndefined();
  });
});
