const BYTE_UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "10GB", "512MiB", 1048576 → bytes; null when malformed. */
export function parseBytes(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return null;
  const unit = BYTE_UNITS[(m[2] || 'B').toUpperCase()];
  return unit === undefined ? null : Math.round(Number(m[1]) * unit);
}

/** "15m", "90s", "1h", "7d", 5000 (ms) → milliseconds; null when malformed. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!m) return null;
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2]!]!);
}
