/**
 * Seeded sampling for Hogbot's own experiment statistics. Seeded so the same counts always give the same "chance to be
 * best": a number that wobbled between two runs of `/ph experiment` would look like a bug to the reader.
 */

export interface Sampler {
  /** Uniform in (0, 1): never exactly 0, so logarithms stay finite. */
  uniform(): number;
  normal(): number;
  /** Gamma(shape, 1). */
  gamma(shape: number): number;
  /** Beta(a, b) as Gamma(a) / (Gamma(a) + Gamma(b)). */
  beta(a: number, b: number): number;
}

/** sfc32 (Small Fast Counter): passes PractRand, four 32-bit words of state, trivial to seed. */
export function createSampler(seed: number): Sampler {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm-up: the first outputs of a counter-based generator still show the seed's structure.
  for (let i = 0; i < 15; i++) u32();

  const uniform = (): number => (u32() + 0.5) / 4_294_967_296;
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // Marsaglia's polar method: two normals per accepted pair, no trigonometry.
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        spare = v * f;
        return u * f;
      }
    }
  };
  const gamma = (shape: number): number => {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be positive, got ${shape}`);
    // Marsaglia and Tsang (2000); shapes below 1 are boosted: Gamma(k) = Gamma(k + 1) * U^(1/k).
    if (shape < 1) return gamma(shape + 1) * uniform() ** (1 / shape);
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
    }
  };
  const beta = (alpha: number, betaShape: number): number => {
    const x = gamma(alpha);
    const y = gamma(betaShape);
    return x / (x + y);
  };
  return { uniform, normal, gamma, beta };
}

/** A stable 32-bit seed from numbers (FNV-1a over their decimal text), so equal inputs give equal draws. */
export function seedFrom(values: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const ch of values.join(',')) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
