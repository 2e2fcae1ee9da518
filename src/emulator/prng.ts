/**
 * Deterministic randomness for the emulator's demo data. Same seed, same sequence, on every machine: ids stay stable
 * across restarts, so tests and humans can rely on them.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `weights[i]` is the relative weight of `items[i]`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** Exponentially distributed with the given mean. */
  exp(mean: number): number;
  /** Random (version 4 shaped) UUID. */
  uuid4(): string;
  /** Time-ordered (version 7 shaped) UUID for the given epoch milliseconds. */
  uuid7(ms: number): string;
  hex(chars: number): string;
  alnum(chars: number): string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** mulberry32: tiny, fast, good enough for demo data (not for anything secret). */
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
  const byteHex = (word: number, shift: number): string => HEX[(word >>> shift) & 0xff] as string;
  const wordHex = (word: number): string =>
    byteHex(word, 24) + byteHex(word, 16) + byteHex(word, 8) + byteHex(word, 0);

  return {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    weighted(items, weights) {
      let total = 0;
      for (const w of weights) total += w;
      let u = next() * total;
      for (let i = 0; i < items.length; i++) {
        u -= weights[i] ?? 0;
        if (u < 0) return items[i] as (typeof items)[number];
      }
      return items[items.length - 1] as (typeof items)[number];
    },
    exp: (mean) => -Math.log(1 - next()) * mean,
    uuid4() {
      const a = wordHex(u32());
      const b = wordHex(u32());
      const c = wordHex(u32());
      const d = wordHex(u32());
      const variant = ((parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16);
      return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    },
    uuid7(ms) {
      const ts = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
      const b = wordHex(u32());
      const c = wordHex(u32());
      const d = wordHex(u32());
      const variant = ((parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16);
      return `${ts.slice(0, 8)}-${ts.slice(8)}-7${b.slice(0, 3)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    },
    hex(chars) {
      let out = '';
      while (out.length < chars) out += wordHex(u32());
      return out.slice(0, chars);
    },
    alnum(chars) {
      let out = '';
      for (let i = 0; i < chars; i++) out += ALNUM[Math.floor(next() * ALNUM.length)];
      return out;
    },
  };
}

/** FNV-1a over a string, mapped to [0, 1): stable bucketing (e.g. flag variants per person) without using a stream. */
export function hashUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // One extra avalanche round: FNV's low bits alone are poorly mixed for short, similar strings.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** Derives an independent seed for a sub-stream (e.g. one per project) from a base seed and a label. */
export function deriveSeed(seed: number, label: string | number): number {
  return Math.floor(hashUnit(`${seed}:${label}`) * 4294967296) >>> 0;
}
