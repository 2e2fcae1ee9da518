/**
 * Conversion statistics Hogbot computes itself when PostHog's ExperimentQuery gives no answer: the Bayesian chance
 * that each variant has the best conversion rate (Beta-Binomial, Monte Carlo) and a frequentist two-proportion
 * z-test of each variant against the control. Pure functions.
 */
import { createSampler, seedFrom } from './random.js';

export interface Binomial {
  /** Persons exposed. */
  trials: number;
  /** Persons who converted. */
  successes: number;
}

export const DEFAULT_DRAWS = 20_000;

/**
 * P(variant i has the highest conversion rate) under independent Beta(1 + successes, 1 + failures) posteriors (a
 * uniform prior). Same inputs, same answer: the sampler is seeded from the counts unless a seed is given.
 */
export function chanceToBeBest(variants: readonly Binomial[], opts: { draws?: number; seed?: number } = {}): number[] {
  if (variants.length === 0) return [];
  for (const v of variants) assertBinomial(v);
  if (variants.length === 1) return [1];
  const draws = opts.draws ?? DEFAULT_DRAWS;
  const sampler = createSampler(opts.seed ?? seedFrom(variants.flatMap((v) => [v.trials, v.successes])));
  const wins = new Array<number>(variants.length).fill(0);
  for (let n = 0; n < draws; n++) {
    let best = -1;
    let bestValue = -1;
    for (let i = 0; i < variants.length; i++) {
      const v = variants[i] as Binomial;
      const value = sampler.beta(1 + v.successes, 1 + v.trials - v.successes);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    wins[best] = (wins[best] as number) + 1;
  }
  return wins.map((w) => w / draws);
}

export interface ZTest {
  /** Rate difference, variant minus control (absolute, 0.03 = 3 percentage points). */
  difference: number;
  z: number;
  /** Two-sided. */
  pValue: number;
  /** 95% confidence interval of the difference (unpooled standard error). */
  interval: [number, number];
}

/** Two-sided two-proportion z-test of `variant` against `control`. Null when either side has no exposures. */
export function twoProportionZTest(control: Binomial, variant: Binomial): ZTest | null {
  assertBinomial(control);
  assertBinomial(variant);
  if (control.trials === 0 || variant.trials === 0) return null;
  const p1 = control.successes / control.trials;
  const p2 = variant.successes / variant.trials;
  const difference = p2 - p1;
  const pooled = (control.successes + variant.successes) / (control.trials + variant.trials);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / variant.trials));
  const seDiff = Math.sqrt((p1 * (1 - p1)) / control.trials + (p2 * (1 - p2)) / variant.trials);
  const z = sePooled === 0 ? 0 : difference / sePooled;
  const pValue = sePooled === 0 ? 1 : 2 * (1 - normalCdf(Math.abs(z)));
  const half = Z_95 * seDiff;
  return { difference, z, pValue: clamp01(pValue), interval: [difference - half, difference + half] };
}

export const Z_95 = 1.959963984540054;

/** Standard normal CDF through erf (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-x * x));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function assertBinomial(v: Binomial): void {
  if (!Number.isInteger(v.trials) || !Number.isInteger(v.successes) || v.trials < 0 || v.successes < 0 || v.successes > v.trials) {
    throw new RangeError(`not a binomial count: ${v.successes} of ${v.trials}`);
  }
}
