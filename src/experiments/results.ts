/**
 * Experiment results in one shape, whoever computed them: PostHog's ExperimentQuery (new `variant_results` or the
 * legacy `variants` + `probability` form) or Hogbot's own statistics over HogQL counts. Pure functions.
 */
import { type Binomial, chanceToBeBest, DEFAULT_DRAWS, twoProportionZTest } from './stats.js';

export interface VariantResult {
  key: string;
  exposures: number;
  /** Converted persons (funnel metrics) or the metric's sum (mean metrics). */
  conversions: number;
  /** conversions / exposures; null without exposures. */
  rate: number | null;
  /** Relative to the control's rate (0.3 = +30%); null for the control itself or when undefined. */
  uplift: number | null;
  chanceToWin: number | null;
  pValue: number | null;
  /** 95% interval as the source reports it (see `intervalOf`). */
  interval: [number, number] | null;
  significant: boolean | null;
}

export interface ExperimentResults {
  source: 'posthog' | 'hogbot';
  /** What the interval bounds: PostHog's own interval, or Hogbot's difference in rates against the control. */
  intervalOf: 'posthog_credible' | 'posthog_confidence' | 'rate_difference' | null;
  controlKey: string;
  variants: VariantResult[];
  /** True when some variant is significantly different from the control. */
  significant: boolean;
  /** Monte Carlo draws behind Hogbot's chance to be best. */
  draws?: number;
}

/** Below this many exposures per variant PostHog shows results but does not call them. */
export const MIN_EXPOSURES = 100;
export const SIGNIFICANCE_LEVEL = 0.05;

export function controlKeyOf(keys: readonly string[]): string {
  return keys.includes('control') ? 'control' : (keys[0] ?? 'control');
}

/** Hogbot's statistics over per-variant exposures and conversions, in the experiment's variant order. */
export function resultsFromCounts(
  counts: ReadonlyArray<{ key: string } & Binomial>,
  opts: { draws?: number; seed?: number } = {},
): ExperimentResults {
  const controlKey = controlKeyOf(counts.map((c) => c.key));
  const control = counts.find((c) => c.key === controlKey);
  const draws = opts.draws ?? DEFAULT_DRAWS;
  const exposed = counts.filter((c) => c.trials > 0);
  const chances = chanceToBeBest(exposed, { draws, ...(opts.seed !== undefined && { seed: opts.seed }) });
  const chanceOf = new Map(exposed.map((c, i) => [c.key, chances[i] ?? null]));
  const enough = counts.every((c) => c.trials >= MIN_EXPOSURES);
  const variants = counts.map((c): VariantResult => {
    const test = control && c.key !== controlKey ? twoProportionZTest(control, c) : null;
    return {
      key: c.key,
      exposures: c.trials,
      conversions: c.successes,
      rate: rateOf(c.successes, c.trials),
      uplift: c.key === controlKey ? null : upliftOf(c, control),
      chanceToWin: chanceOf.get(c.key) ?? null,
      pValue: test?.pValue ?? null,
      interval: test?.interval ?? null,
      significant: c.key === controlKey || !test ? null : enough && test.pValue < SIGNIFICANCE_LEVEL,
    };
  });
  return {
    source: 'hogbot',
    intervalOf: 'rate_difference',
    controlKey,
    variants,
    significant: variants.some((v) => v.significant === true),
    draws,
  };
}

/**
 * Reads an ExperimentQuery response. Null when it carries no per-variant numbers (then Hogbot computes its own).
 * `variantKeys` orders the rows like the experiment and adds configured variants PostHog left out.
 */
export function resultsFromExperimentQuery(body: unknown, variantKeys: readonly string[]): ExperimentResults | null {
  if (!isRecord(body)) return null;
  return fromVariantResults(body, variantKeys) ?? fromLegacy(body, variantKeys);
}

interface RawRow {
  key: string;
  exposures: number;
  conversions: number;
  chanceToWin: number | null;
  pValue: number | null;
  interval: [number, number] | null;
  significant: boolean | null;
}

function fromVariantResults(body: Record<string, unknown>, variantKeys: readonly string[]): ExperimentResults | null {
  const list = body.variant_results;
  if (!Array.isArray(list)) return null;
  const rows: RawRow[] = [];
  // Newer responses put the control in `baseline` and only the test variants in `variant_results`.
  for (const raw of [body.baseline, ...list]) {
    if (!isRecord(raw) || typeof raw.key !== 'string') continue;
    const exposures = num(raw.number_of_samples);
    if (exposures === null || rows.some((r) => r.key === raw.key)) continue;
    rows.push({
      key: raw.key,
      exposures,
      conversions: num(raw.sum) ?? 0,
      chanceToWin: num(raw.chance_to_win),
      pValue: num(raw.p_value),
      interval: pair(raw.credible_interval) ?? pair(raw.confidence_interval),
      significant: typeof raw.significant === 'boolean' ? raw.significant : null,
    });
  }
  if (rows.length === 0) return null;
  const bayesian = rows.some((r) => r.chanceToWin !== null);
  const frequentist = rows.some((r) => r.pValue !== null);
  return assemble(rows, variantKeys, body, bayesian ? 'posthog_credible' : frequentist ? 'posthog_confidence' : null);
}

function fromLegacy(body: Record<string, unknown>, variantKeys: readonly string[]): ExperimentResults | null {
  const list = body.variants;
  if (!Array.isArray(list)) return null;
  const probability = isRecord(body.probability) ? body.probability : {};
  const intervals = isRecord(body.credible_intervals) ? body.credible_intervals : {};
  const rows: RawRow[] = [];
  for (const raw of list) {
    if (!isRecord(raw) || typeof raw.key !== 'string') continue;
    const success = num(raw.success_count);
    const failure = num(raw.failure_count);
    if (success === null || failure === null) continue;
    rows.push({
      key: raw.key,
      exposures: success + failure,
      conversions: success,
      chanceToWin: num(probability[raw.key]),
      pValue: null,
      interval: pair(intervals[raw.key]),
      significant: null,
    });
  }
  if (rows.length === 0) return null;
  return assemble(rows, variantKeys, body, 'posthog_credible');
}

function assemble(
  rows: RawRow[],
  variantKeys: readonly string[],
  body: Record<string, unknown>,
  intervalOf: ExperimentResults['intervalOf'],
): ExperimentResults {
  const order = [...variantKeys, ...rows.map((r) => r.key).filter((k) => !variantKeys.includes(k))];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const controlKey = controlKeyOf(order);
  const control = byKey.get(controlKey);
  const variants = order.map((key): VariantResult => {
    const r = byKey.get(key) ?? { key, exposures: 0, conversions: 0, chanceToWin: null, pValue: null, interval: null, significant: null };
    return {
      key,
      exposures: r.exposures,
      conversions: r.conversions,
      rate: rateOf(r.conversions, r.exposures),
      uplift:
        key === controlKey || !control
          ? null
          : upliftOf({ successes: r.conversions, trials: r.exposures }, { successes: control.conversions, trials: control.exposures }),
      chanceToWin: r.chanceToWin,
      pValue: r.pValue,
      interval: r.interval,
      significant: r.significant,
    };
  });
  const topLevel = typeof body.significant === 'boolean' ? body.significant : null;
  return { source: 'posthog', intervalOf, controlKey, variants, significant: topLevel ?? variants.some((v) => v.significant === true) };
}

function rateOf(successes: number, trials: number): number | null {
  return trials > 0 ? successes / trials : null;
}

function upliftOf(variant: Binomial, control: Binomial | undefined): number | null {
  if (!control) return null;
  const base = rateOf(control.successes, control.trials);
  const rate = rateOf(variant.successes, variant.trials);
  if (base === null || rate === null || base === 0) return null;
  return (rate - base) / base;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PostHog serialises some counts as strings (UInt64 past 2^53); accept both. */
function num(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function pair(value: unknown): [number, number] | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [lo, hi] = [num(value[0]), num(value[1])];
  return lo === null || hi === null ? null : [lo, hi];
}
