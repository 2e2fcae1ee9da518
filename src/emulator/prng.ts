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

// UUIDs are written into one reused buffer and decoded once: building them from string pieces (or slices) costs far
// more time and garbage, and the dataset makes hundreds of thousands of them.
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UUID_BUF = Buffer.alloc(36, 0x2d);
const NIBBLE_POS = Uint8Array.from(
  { length: 32 },
  (_, i) => i + (i >= 8 ? 1 : 0) + (i >= 12 ? 1 : 0) + (i >= 16 ? 1 : 0) + (i >= 20 ? 1 : 0),
);

function setNibble(index: number, value: number): void {
  UUID_BUF[NIBBLE_POS[index] as number] = HEX_CODES[value & 15] as number;
}

/** Writes the low `count` nibbles of `word` (most significant first) at nibble `from`. */
function writeNibbles(word: number, from: number, count: number): void {
  for (let k = 0; k < count; k++) setNibble(from + k, word >>> (4 * (count - 1 - k)));
}

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
  const wordHex = (word: number): string =>
    (HEX[word >>> 24] as string) + HEX[(word >>> 16) & 0xff] + HEX[(word >>> 8) & 0xff] + HEX[word & 0xff];

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
      writeNibbles(u32(), 0, 8);
      writeNibbles(u32(), 8, 8);
      writeNibbles(u32(), 16, 8);
      writeNibbles(u32(), 24, 8);
      setNibble(12, 4);
      setNibble(16, 8 | (u32() & 3));
      return UUID_BUF.toString('latin1', 0, 36);
    },
    uuid7(ms) {
      const t = Math.max(0, Math.floor(ms));
      writeNibbles(Math.floor(t / 4294967296) & 0xffff, 0, 4);
      writeNibbles(t >>> 0, 4, 8);
      writeNibbles(u32(), 12, 8);
      writeNibbles(u32(), 20, 8);
      writeNibbles(u32(), 28, 4);
      setNibble(12, 7);
      setNibble(16, 8 | (u32() & 3));
      return UUID_BUF.toString('latin1', 0, 36);
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
