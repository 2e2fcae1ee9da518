/**
 * `POST /query/` with `{"kind": "ExperimentQuery", "metric": ..., "experiment_id": ...}`: an experiment's results
 * computed from the project's demo events, the way PostHog's ExperimentQueryRunner counts them, in its new response
 * shape (`baseline` + `variant_results`, Bayesian).
 *
 * Exposed: a person with a `$feature_flag_called` event for the experiment's flag (a response among the flag's
 * variants) inside the experiment's window, in the variant of their first such event. Metric events count from that
 * first exposure to the end of the window (or, with a `conversion_window`, to exposure + window). A funnel metric
 * converts a person who did its steps in order; a mean metric sums (or averages, counts...) per person. Always
 * answered blocking, whatever `refresh` asks for.
 */
import { z } from 'zod';
import type { DemoEvent } from '../dataset-types.js';
import { compare, type MetricType, validationFailures, type VariantStats } from '../experiment-stats.js';
import { isoTime, json, type Reply, validationError } from '../http.js';
import type { Experiment } from '../model.js';
import type { ProjectContext } from './context.js';
import { isPropertyFilter, matchesAll, type PropertyFilter } from './property-filter.js';

const EXPOSURE_EVENT = '$feature_flag_called';
const CONTROL = 'control';

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86_400, week: 604_800, month: 2_592_000 } as const;

const eventsNode = z.looseObject({
  kind: z.string(),
  event: z.string().nullish(),
  properties: z.array(z.unknown()).nullish(),
  math: z.string().nullish(),
  math_property: z.string().nullish(),
});
type EventsNode = z.infer<typeof eventsNode>;

const metricSchema = z.looseObject({
  kind: z.literal('ExperimentMetric'),
  metric_type: z.enum(['funnel', 'mean', 'ratio', 'retention']),
  series: z.array(eventsNode).nullish(),
  source: eventsNode.nullish(),
  funnel_order_type: z.string().nullish(),
  conversion_window: z.number().int().positive().nullish(),
  conversion_window_unit: z.enum(['second', 'minute', 'hour', 'day', 'week', 'month']).nullish(),
});

const querySchema = z.looseObject({ kind: z.literal('ExperimentQuery'), metric: metricSchema, experiment_id: z.number().int().nullish() });

const MEAN_MATHS = new Set(['total', 'dau', 'sum', 'avg', 'min', 'max', 'unique_session']);

export function runExperimentQuery(ctx: ProjectContext, rawQuery: unknown): Reply {
  const parsed = querySchema.safeParse(rawQuery);
  if (!parsed.success) return validationError(z.prettifyError(parsed.error), null, 'parse_error');
  const { metric, experiment_id: id } = parsed.data;
  if (id == null) return validationError('experiment_id is required', null);
  const experiment = ctx.data.experiments.find((e) => e.id === id);
  if (!experiment) return validationError(`Experiment with id ${id} not found`, null);
  if (!experiment.start_date) return validationError('Experiment has not started yet: it has no start_date.', null);
  if ((experiment.stats_config as { method?: unknown } | undefined)?.method === 'frequentist') {
    return unsupported('frequentist statistics');
  }

  let evaluate: Evaluator;
  if (metric.metric_type === 'funnel') {
    const steps = metric.series ?? [];
    if (steps.length === 0) return validationError('A funnel metric needs at least one step.', null);
    if (steps.some((s) => s.kind !== 'EventsNode')) return unsupported('funnel steps other than events');
    if ((metric.funnel_order_type ?? 'ordered') !== 'ordered') return unsupported(`the "${metric.funnel_order_type}" funnel order`);
    evaluate = funnelEvaluator(steps.map((s) => eventMatcher(ctx, s)));
  } else if (metric.metric_type === 'mean') {
    const source = metric.source;
    if (!source || source.kind !== 'EventsNode') return unsupported('mean metrics over anything but events');
    const math = source.math ?? 'total';
    if (!MEAN_MATHS.has(math)) return unsupported(`the "${math}" math`);
    evaluate = meanEvaluator(eventMatcher(ctx, source), math, source.math_property ?? null);
  } else {
    return unsupported(`${metric.metric_type} metrics`);
  }

  const variants = variantKeys(ctx, experiment);
  if (!variants.includes(CONTROL)) return validationError('No control variant found', null);
  const start = Date.parse(experiment.start_date);
  const end = experiment.end_date ? Date.parse(experiment.end_date) : ctx.now.getTime();
  const window =
    metric.conversion_window != null && metric.conversion_window_unit != null
      ? metric.conversion_window * UNIT_SECONDS[metric.conversion_window_unit] * 1000
      : null;
  const stats = countVariants(ctx.data.dataset().events, { flagKey: experiment.feature_flag_key, variants, start, end, window }, evaluate);
  return json(200, respond(ctx, metric.metric_type, stats));
}

function unsupported(what: string): Reply {
  return validationError(`The emulator's ExperimentQuery does not support ${what}.`, null);
}

/** The flag's variants (what PostHog reads), else the experiment's parameters. */
function variantKeys(ctx: ProjectContext, e: Experiment): string[] {
  const flag = ctx.data.feature_flags.find((f) => f.id === e.feature_flag);
  const fromFlag = (flag?.filters.multivariate as { variants?: { key?: unknown }[] } | null | undefined)?.variants;
  const list = Array.isArray(fromFlag) ? fromFlag : e.parameters.feature_flag_variants;
  return list.flatMap((v) => (typeof v.key === 'string' ? [v.key] : []));
}

type Matcher = (event: DemoEvent) => boolean;

function eventMatcher(ctx: ProjectContext, node: EventsNode): Matcher {
  const filters = (node.properties ?? []).filter(isPropertyFilter);
  const eventFilters = filters.filter((f) => f.type === undefined || f.type === 'event');
  const personFilters = filters.filter((f) => f.type === 'person');
  const others = filters.length - eventFilters.length - personFilters.length;
  // A filter the emulator cannot evaluate (cohort, group...) matches nothing rather than everything.
  if (others > 0) return () => false;
  const persons = personFilters.length > 0 ? new Map(ctx.data.dataset().persons.map((p) => [p.id, p.properties])) : null;
  const name = node.event ?? null;
  return (e) =>
    (name === null || e.event === name) &&
    matchesAll(e.properties, eventFilters as PropertyFilter[]) &&
    (persons === null || matchesAll(persons.get(e.personId) ?? {}, personFilters as PropertyFilter[]));
}

/** Per exposed person: `add` sees their metric events in time order, `value` gives their metric value. */
interface Evaluator {
  start(): PersonState;
}
interface PersonState {
  add(event: DemoEvent): void;
  value(): number;
}

function funnelEvaluator(steps: Matcher[]): Evaluator {
  return {
    start() {
      let reached = 0;
      return {
        add(e) {
          if (reached < steps.length && (steps[reached] as Matcher)(e)) reached++;
        },
        value: () => (reached === steps.length ? 1 : 0),
      };
    },
  };
}

function meanEvaluator(matches: Matcher, math: string, property: string | null): Evaluator {
  const continuous = math === 'sum' || math === 'avg' || math === 'min' || math === 'max';
  return {
    start() {
      const values: number[] = [];
      const sessions = new Set<unknown>();
      return {
        add(e) {
          if (!matches(e)) return;
          if (math === 'unique_session') {
            if (e.properties.$session_id != null) sessions.add(e.properties.$session_id);
            return;
          }
          // toFloat of a missing or non-numeric property is null, which PostHog coalesces to 0.
          const raw = continuous && property ? Number(e.properties[property]) : 1;
          values.push(Number.isFinite(raw) ? raw : 0);
        },
        value() {
          if (math === 'unique_session') return sessions.size;
          if (values.length === 0) return 0;
          if (math === 'avg') return values.reduce((a, b) => a + b, 0) / values.length;
          if (math === 'min') return Math.min(...values);
          if (math === 'max') return Math.max(...values);
          return values.reduce((a, b) => a + b, 0);
        },
      };
    },
  };
}

interface Window {
  flagKey: string;
  variants: string[];
  start: number;
  end: number;
  /** Conversion window in ms, counted from each person's first exposure; null = to the end of the experiment. */
  window: number | null;
}

/** Events are in time order, so one pass finds first exposures and a second feeds each exposed person's events. */
function countVariants(events: readonly DemoEvent[], w: Window, evaluator: Evaluator): VariantStats[] {
  const exposed = new Map<string, { at: number; variant: string }>();
  for (const e of events) {
    const t = e.timestamp.getTime();
    if (t < w.start || t > w.end || e.event !== EXPOSURE_EVENT || e.properties.$feature_flag !== w.flagKey) continue;
    const variant = e.properties.$feature_flag_response;
    if (typeof variant !== 'string' || !w.variants.includes(variant) || exposed.has(e.personId)) continue;
    exposed.set(e.personId, { at: t, variant });
  }
  const states = new Map<string, PersonState>();
  for (const id of exposed.keys()) states.set(id, evaluator.start());
  for (const e of events) {
    const x = exposed.get(e.personId);
    if (!x) continue;
    const t = e.timestamp.getTime();
    const until = w.window === null ? w.end : x.at + w.window;
    if (t < w.start || t < x.at || (w.window === null ? t > until : t >= until)) continue;
    states.get(e.personId)?.add(e);
  }
  const stats = new Map(w.variants.map((key) => [key, { key, number_of_samples: 0, sum: 0, sum_squares: 0 }]));
  for (const [id, x] of exposed) {
    const v = stats.get(x.variant) as VariantStats;
    const value = (states.get(id) as PersonState).value();
    v.number_of_samples++;
    v.sum += value;
    v.sum_squares += value * value;
  }
  return [...stats.values()];
}

function respond(ctx: ProjectContext, metricType: MetricType, stats: VariantStats[]): Record<string, unknown> {
  const control = stats.find((s) => s.key === CONTROL) as VariantStats;
  const baselineFailures = validationFailures(control, metricType, true);
  const variantResults = stats
    .filter((s) => s.key !== CONTROL)
    .map((s) => {
      const failures = validationFailures(s, metricType, false);
      const result = { ...s, method: 'bayesian', validation_failures: failures };
      if (baselineFailures.length > 0 || failures.length > 0)
        return { ...result, chance_to_win: null, credible_interval: null, significant: null };
      return { ...result, ...compare(metricType, control, s) };
    });
  const now = ctx.now;
  return {
    kind: 'ExperimentQuery',
    baseline: { ...control, validation_failures: baselineFailures },
    variant_results: variantResults,
    cache_key: `cache_experiment_${ctx.projectId}_${now.getTime()}`,
    is_cached: false,
    last_refresh: isoTime(now),
    next_allowed_client_refresh: isoTime(new Date(now.getTime() + 60_000)),
    cache_target_age: isoTime(new Date(now.getTime() + 86_400_000)),
    calculation_trigger: null,
    query_status: null,
    timezone: ctx.data.project.timezone,
    timings: [],
  };
}
