// A seeded PRNG (mulberry32) and the draws the demo generator needs. Everything the
// generator produces comes from one of these, never from Math.random or the clock, so the
// same seed gives byte-identical events. Each day has a stream of its own (dayRng), so days
// can be generated in any order, on any thread.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A random-version (v4) UUID. */
  uuid(): string;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const u32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => u32() / 4294967296;
  const byteHex = (word: number, shift: number): string => HEX[(word >>> shift) & 0xff]!;
  const wordHex = (w: number): string => byteHex(w, 24) + byteHex(w, 16) + byteHex(w, 8) + byteHex(w, 0);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    uuid: () => {
      const a = u32();
      const b = u32();
      const c = u32();
      const d = u32();
      const bh = wordHex(b);
      const ch = wordHex(c);
      return `${wordHex(a)}-${bh.slice(0, 4)}-4${bh.slice(5, 8)}-${'89ab'[c >>> 30]}${ch.slice(1, 4)}-${ch.slice(4)}${wordHex(d)}`;
    },
    hex: (length) => {
      let out = '';
      while (out.length < length) out += wordHex(u32());
      return out.slice(0, length);
    },
  };
}

/** The stream of one UTC date (YYYY-MM-DD) of a run: a pure function of the run's seed and the date. */
export function dayRng(seed: number, date: string): Rng {
  return createRng(seedOf(`${seed >>> 0}/${date}`));
}

/** FNV-1a: a stable 32-bit seed from a name, for catalog identifiers that must not depend on the run's seed. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A UUID that is a pure function of `name`. */
export function stableUuid(name: string): string {
  return createRng(seedOf(name)).uuid();
}

/** Picks items by weight; the cumulative table is built once. */
export function weightedPicker<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const items = entries.map(([item]) => item);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) cumulative.push((total += weight));
  return (rng) => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}
