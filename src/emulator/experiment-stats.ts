/**
 * The statistics behind the emulator's ExperimentQuery, shaped like PostHog's Bayesian results
 * (`get_bayesian_experiment_result`): each test variant against the control, with `chance_to_win` = P(variant beats
 * control), `credible_interval` = the 95% interval of the relative lift (0.3 = +30%), and `significant` when the
 * chance to win is decisive (above 95% or below 5%). Variants with too little data get PostHog's `validation_failures`
 * and no statistics. Pure functions; the same counts always give the same numbers.
 *
 * Funnel (conversion) metrics use Beta(1 + conversions, 1 + failures) posteriors and a seeded Monte Carlo; mean
 * metrics use the closed-form Gaussian posterior of the relative difference under a flat prior, as PostHog does.
 */
import { createRng, hashUnit, type Rng } from './prng.js';

export interface VariantStats {
  key: string;
  /** Exposed persons. */
  number_of_samples: number;
  /** Converted persons (funnel) or the sum of per-person values (mean). */
  sum: number;
  sum_squares: number;
}

export type ValidationFailure = 'not-enough-exposures' | 'not-enough-metric-data' | 'baseline-mean-is-zero';
export type MetricType = 'funnel' | 'mean';

export interface BayesianComparison {
  chance_to_win: number;
  credible_interval: [number, number];
  significant: boolean;
}

/** PostHog's thresholds (`validate_variant_result`). */
export const MIN_SAMPLES = 50;
export const MIN_FUNNEL_CONVERSIONS = 5;
export const CI_LEVEL = 0.95;
/** The standard normal's 97.5th percentile: the half-width, in standard deviations, of a 95% interval. */
const Z_CI = 1.959963984540054;
/** PostHog's SAMPLE_SIZE for its Monte Carlo statistics. */
export const DRAWS = 10_000;

export function validationFailures(v: VariantStats, metric: MetricType, isBaseline: boolean): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  if (v.number_of_samples < MIN_SAMPLES) failures.push('not-enough-exposures');
  if (metric === 'funnel' && v.sum < MIN_FUNNEL_CONVERSIONS) failures.push('not-enough-metric-data');
  if (isBaseline && v.sum === 0) failures.push('baseline-mean-is-zero');
  return failures;
}

export function compare(metric: MetricType, control: VariantStats, test: VariantStats): BayesianComparison {
  return metric === 'funnel' ? compareProportions(control, test) : compareMeans(control, test);
}

/** Beta posteriors, sampled: P(p_test > p_control) and the 2.5/97.5 percentiles of p_test / p_control - 1. */
export function compareProportions(control: VariantStats, test: VariantStats, draws = DRAWS): BayesianComparison {
  const rng = createRng(
    Math.floor(hashUnit(`${control.number_of_samples}/${control.sum}:${test.number_of_samples}/${test.sum}`) * 2 ** 32),
  );
  const lifts = new Float64Array(draws);
  let wins = 0;
  for (let i = 0; i < draws; i++) {
    const pc = beta(rng, 1 + control.sum, 1 + control.number_of_samples - control.sum);
    const pt = beta(rng, 1 + test.sum, 1 + test.number_of_samples - test.sum);
    if (pt > pc) wins++;
    lifts[i] = pt / pc - 1;
  }
  lifts.sort();
  const tail = (1 - CI_LEVEL) / 2;
  return decide(wins / draws, [quantile(lifts, tail), quantile(lifts, 1 - tail)]);
}

/** Relative difference of means by the delta method; with a flat prior the posterior is N(estimate, variance). */
export function compareMeans(control: VariantStats, test: VariantStats): BayesianComparison {
  const mc = control.sum / control.number_of_samples;
  const mt = test.sum / test.number_of_samples;
  const effect = mt / mc - 1;
  const variance =
    sampleVariance(test) / (test.number_of_samples * mc * mc) + (mt * mt * sampleVariance(control)) / (control.number_of_samples * mc ** 4);
  const sd = Math.sqrt(variance);
  const chance = sd === 0 ? (effect > 0 ? 1 : effect < 0 ? 0 : 0.5) : normalCdf(effect / sd);
  return decide(chance, [effect - Z_CI * sd, effect + Z_CI * sd]);
}

function decide(chance: number, interval: [number, number]): BayesianComparison {
  return { chance_to_win: chance, credible_interval: interval, significant: chance > CI_LEVEL || chance < 1 - CI_LEVEL };
}

function sampleVariance(v: VariantStats): number {
  const n = v.number_of_samples;
  if (n < 2) return 0;
  return Math.max(0, (v.sum_squares - (v.sum * v.sum) / n) / (n - 1));
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  return x / (x + gamma(rng, b));
}

/** Marsaglia and Tsang's method (shape >= 1, which Beta(1 + k, ...) always is). */
function gamma(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Standard normal CDF via erf (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return 0.5 * (1 + (x < 0 ? -erf : erf));
}
