import { describe, expect, it } from 'vitest';
import { checkDraft, parseVariants } from '../../src/experiments/draft.js';
import { primaryMetricOf, statusOf } from '../../src/experiments/experiment.js';
import { createSampler } from '../../src/experiments/random.js';
import { resultsFromCounts, resultsFromExperimentQuery } from '../../src/experiments/results.js';
import { chanceToBeBest, normalCdf, twoProportionZTest } from '../../src/experiments/stats.js';

/** log Γ(x) (Lanczos, g = 7): for the exact two-variant formula the Monte Carlo is checked against. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

/** Evan Miller's closed form: P(p_B > p_A) for Beta(aA, bA) and Beta(aB, bB) posteriors, integer aB. */
function exactProbabilityBBeatsA(aA: number, bA: number, aB: number, bB: number): number {
  let total = 0;
  for (let i = 0; i < aB; i++) total += Math.exp(logBeta(aA + i, bA + bB) - Math.log(bB + i) - logBeta(1 + i, bB) - logBeta(aA, bA));
  return total;
}

describe('sampling', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createSampler(7);
    const b = createSampler(7);
    const c = createSampler(8);
    const seqA = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(seqA);
  });

  it('draws Beta variates with the right mean and variance', () => {
    const s = createSampler(3);
    const [a, b] = [13, 97];
    const draws = Array.from({ length: 40_000 }, () => s.beta(a, b));
    const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
    const variance = draws.reduce((x, y) => x + (y - mean) ** 2, 0) / draws.length;
    expect(mean).toBeCloseTo(a / (a + b), 3);
    expect(variance).toBeCloseTo((a * b) / ((a + b) ** 2 * (a + b + 1)), 4);
    // Shapes below 1 take the boosted path.
    const small = Array.from({ length: 40_000 }, () => s.beta(0.5, 0.5));
    expect(small.reduce((x, y) => x + y, 0) / small.length).toBeCloseTo(0.5, 2);
  });
});

describe('chance to be best', () => {
  it('matches the exact two-variant answer', () => {
    const control = { trials: 109, successes: 12 };
    const test = { trials: 111, successes: 19 };
    const exact = exactProbabilityBBeatsA(1 + 12, 1 + 97, 1 + 19, 1 + 92);
    const [pControl, pTest] = chanceToBeBest([control, test]);
    expect(pTest).toBeCloseTo(exact, 2);
    expect((pControl as number) + (pTest as number)).toBeCloseTo(1, 10);
  });

  it('is even for identical variants, sums to one for three, and repeats exactly', () => {
    const same = chanceToBeBest([
      { trials: 500, successes: 50 },
      { trials: 500, successes: 50 },
    ]);
    expect(same[0]).toBeCloseTo(0.5, 1);
    const three = [
      { trials: 1000, successes: 100 },
      { trials: 1000, successes: 140 },
      { trials: 1000, successes: 90 },
    ];
    const chances = chanceToBeBest(three);
    expect(chances.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 10);
    expect(chances[1]).toBeGreaterThan(0.99);
    expect(chanceToBeBest(three)).toEqual(chances);
  });

  it('rejects counts that are not binomial', () => {
    expect(() =>
      chanceToBeBest([
        { trials: 3, successes: 4 },
        { trials: 3, successes: 1 },
      ]),
    ).toThrow(RangeError);
  });
});

describe('two-proportion z-test', () => {
  it('computes the textbook example', () => {
    // p1 = 0.10, p2 = 0.13, pooled 0.115: z = 0.03 / sqrt(0.115 * 0.885 * 0.002) = 2.1027, two-sided p = 0.0355.
    const t = twoProportionZTest({ trials: 1000, successes: 100 }, { trials: 1000, successes: 130 });
    expect(t?.z).toBeCloseTo(2.1027, 3);
    expect(t?.pValue).toBeCloseTo(0.0355, 3);
    const half = 1.959964 * Math.sqrt((0.1 * 0.9) / 1000 + (0.13 * 0.87) / 1000);
    expect(t?.interval[0]).toBeCloseTo(0.03 - half, 6);
    expect(t?.interval[1]).toBeCloseTo(0.03 + half, 6);
  });

  it('is null without exposures and 1 when nobody converted', () => {
    expect(twoProportionZTest({ trials: 0, successes: 0 }, { trials: 10, successes: 1 })).toBeNull();
    expect(twoProportionZTest({ trials: 10, successes: 0 }, { trials: 10, successes: 0 })?.pValue).toBe(1);
  });

  it('has a normal CDF accurate to 1e-6', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });
});

describe('results', () => {
  it('from counts: rates, uplift against control, significance only with enough exposures', () => {
    const r = resultsFromCounts([
      { key: 'control', trials: 1000, successes: 100 },
      { key: 'test', trials: 1000, successes: 130 },
    ]);
    expect(r.source).toBe('hogbot');
    const [control, test] = r.variants;
    expect(control?.rate).toBeCloseTo(0.1, 10);
    expect(control?.uplift).toBeNull();
    expect(test?.uplift).toBeCloseTo(0.3, 10);
    expect(test?.pValue).toBeCloseTo(0.0355, 3);
    expect(test?.significant).toBe(true);
    expect(r.significant).toBe(true);
    const small = resultsFromCounts([
      { key: 'control', trials: 50, successes: 1 },
      { key: 'test', trials: 50, successes: 12 },
    ]);
    expect(small.variants[1]?.pValue).toBeLessThan(0.05);
    expect(small.significant).toBe(false);
  });

  it('reads PostHog variant_results with a separate baseline, in the experiment’s order', () => {
    const body = {
      kind: 'ExperimentQuery',
      baseline: { key: 'control', number_of_samples: 200, sum: 20, sum_squares: 20 },
      variant_results: [
        {
          key: 'test',
          number_of_samples: '210',
          sum: 30,
          sum_squares: 30,
          chance_to_win: 0.93,
          credible_interval: [-0.05, 0.6],
          significant: true,
        },
      ],
      significant: true,
    };
    const r = resultsFromExperimentQuery(body, ['control', 'test', 'test-2']);
    expect(r?.source).toBe('posthog');
    expect(r?.variants.map((v) => [v.key, v.exposures, v.conversions])).toEqual([
      ['control', 200, 20],
      ['test', 210, 30],
      ['test-2', 0, 0],
    ]);
    expect(r?.variants[1]?.chanceToWin).toBe(0.93);
    expect(r?.variants[1]?.uplift).toBeCloseTo(30 / 210 / 0.1 - 1, 10);
    expect(r?.intervalOf).toBe('posthog_credible');
    expect(r?.significant).toBe(true);
  });

  it('reads the legacy funnel shape and refuses bodies without numbers', () => {
    const legacy = {
      variants: [
        { key: 'control', success_count: 10, failure_count: 90 },
        { key: 'test', success_count: 15, failure_count: 85 },
      ],
      probability: { control: 0.15, test: 0.85 },
      credible_intervals: { control: [0.05, 0.17], test: [0.09, 0.23] },
      significant: false,
    };
    const r = resultsFromExperimentQuery(legacy, ['control', 'test']);
    expect(r?.variants.map((v) => [v.exposures, v.conversions, v.chanceToWin])).toEqual([
      [100, 10, 0.15],
      [100, 15, 0.85],
    ]);
    expect(resultsFromExperimentQuery({ results: [] }, ['control'])).toBeNull();
    expect(resultsFromExperimentQuery('nope', ['control'])).toBeNull();
  });
});

describe('experiment fields and drafts', () => {
  it('derives status from the dates', () => {
    expect(statusOf({ start_date: null, end_date: null })).toBe('draft');
    expect(statusOf({ start_date: '2026-01-01T00:00:00Z', end_date: null })).toBe('running');
    expect(statusOf({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-01-09T00:00:00Z' })).toBe('stopped');
  });

  it('finds the conversion event of funnel and mean metrics, and none for actions', () => {
    const base = { id: 1, name: 'x', feature_flag_key: 'k' };
    const funnel = {
      kind: 'ExperimentMetric',
      metric_type: 'funnel',
      name: 'Buy',
      series: [
        { kind: 'EventsNode', event: '$pageview' },
        { kind: 'EventsNode', event: 'purchase' },
      ],
    };
    expect(primaryMetricOf({ ...base, metrics: [funnel] })?.event).toBe('purchase');
    expect(primaryMetricOf({ ...base, metrics: [{ metric_type: 'mean', source: { kind: 'EventsNode', event: 'revenue' } }] })?.event).toBe(
      'revenue',
    );
    expect(primaryMetricOf({ ...base, metrics: [{ metric_type: 'funnel', series: [{ kind: 'ActionsNode', id: 3 }] }] })?.event).toBeNull();
    expect(primaryMetricOf({ ...base, metrics: [] })).toBeNull();
  });

  it('parses and checks variant splits', () => {
    expect(parseVariants('control:50, test:50')).toEqual({
      variants: [
        { key: 'control', rollout_percentage: 50 },
        { key: 'test', rollout_percentage: 50 },
      ],
    });
    expect(parseVariants('control=34\ntest 33%\ntest-2:33')).toHaveProperty('variants');
    expect(parseVariants('control:60, test:50')).toEqual({ problem: 'The splits add up to 110%, not 100%.' });
    expect(parseVariants('a:50, b:50')).toHaveProperty('problem');
    expect(parseVariants('control:100')).toHaveProperty('problem');
    expect(parseVariants('control:50, control:50')).toHaveProperty('problem');
    expect(parseVariants('control: half')).toHaveProperty('problem');
    const bad = checkDraft({ name: ' ', flagKey: 'has space', variants: 'control:50,test:50', metricEvent: '' });
    expect(bad).toEqual({ problems: { name: expect.any(String), flagKey: expect.any(String), metricEvent: expect.any(String) } });
    expect(checkDraft({ name: 'N', flagKey: 'k', metricEvent: 'purchase' })).toHaveProperty('draft.variants.length', 2);
  });
});
