import { useSyncExternalStore } from 'react';
import type { TimeZoneMode } from './time-format';

/** Where the viewer's choice is kept: per browser, like a display preference should be. */
export const TIME_ZONE_KEY = 'access-monitor.time-zone';

/** The subset of Storage the setting uses (a fake in tests). */
export type SettingStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The zone every displayed time is shown in. UTC unless the viewer chose local: audit windows are UTC days,
 * so UTC times line up with them. Kept in localStorage; other tabs follow through the `storage` event.
 */
export function createTimeZoneSetting(storage: SettingStorage | undefined) {
  const listeners = new Set<() => void>();
  const read = (): TimeZoneMode => {
    try {
      return storage?.getItem(TIME_ZONE_KEY) === 'local' ? 'local' : 'utc';
    } catch {
      return 'utc';
    }
  };
  let mode = read();
  const notify = () => listeners.forEach((l) => l());
  return {
    get: (): TimeZoneMode => mode,
    set(next: TimeZoneMode) {
      if (next === mode) return;
      mode = next;
      try {
        storage?.setItem(TIME_ZONE_KEY, next);
      } catch {
        // Storage refused (private mode, quota): the choice still holds for this page.
      }
      notify();
    },
    /** Reads the stored choice again (another tab changed it). */
    reload() {
      const next = read();
      if (next !== mode) {
        mode = next;
        notify();
      }
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const browserStorage = (): Storage | undefined => {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
};

export const timeZoneSetting = createTimeZoneSetting(browserStorage());

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === TIME_ZONE_KEY) timeZoneSetting.reload();
  });
}

/** The zone times are shown in; re-renders when the viewer switches it. */
export const useTimeZoneMode = (): TimeZoneMode => useSyncExternalStore(timeZoneSetting.subscribe, timeZoneSetting.get, () => 'utc');
