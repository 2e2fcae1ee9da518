/**
 * Trends insights as the bot reads and writes them: the TrendsQuery it builds from the form, the one-line definition
 * plans and cards show, and the per-series numbers read from an insight's `result`.
 */
import { z } from 'zod';
import {
  INSIGHT_FIELDS,
  INTERVAL_CHOICES,
  intervalLabel,
  MATH_CHOICES,
  mathLabel,
  RANGE_CHOICES,
  rangeLabel,
} from '../../views/insights.js';
import { readChoice, readText } from '../../views/form.js';
import { trendSeriesSchema } from '../posthog/content-schemas.js';
import type { ModalValues } from '../registry/interaction.js';

export const trendsQuerySchema = z.looseObject({
  kind: z.literal('TrendsQuery'),
  series: z
    .array(
      z.looseObject({
        kind: z.string(),
        event: z.string().nullish(),
        name: z.string().nullish(),
        custom_name: z.string().nullish(),
        math: z.string().nullish(),
        math_property: z.string().nullish(),
      }),
    )
    .min(1),
  interval: z.string().nullish(),
  dateRange: z.looseObject({ date_from: z.string().nullish(), date_to: z.string().nullish() }).nullish(),
  breakdownFilter: z
    .looseObject({
      breakdown: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).nullish(),
      breakdown_type: z.string().nullish(),
    })
    .nullish(),
});
export type TrendsSource = z.infer<typeof trendsQuerySchema>;

/** PostHog's markers for "no value" and "everything past the breakdown limit". */
const BREAKDOWN_LABELS: Record<string, string> = { $$_posthog_breakdown_null_$$: '(none)', $$_posthog_breakdown_other_$$: 'Other' };

export function breakdownOf(source: TrendsSource): string | null {
  const raw = source.breakdownFilter?.breakdown;
  if (raw === null || raw === undefined || raw === '') return null;
  return Array.isArray(raw) ? raw.join(', ') : String(raw);
}

/** `$pageview · Unique users · daily · last 30 days · by $browser`. */
export function trendsDefinition(source: TrendsSource): string {
  const series = source.series
    .map((s) => `${s.custom_name || s.event || 'All events'} · ${mathLabel(s.math, s.math_property)}`)
    .join(' + ');
  const breakdown = breakdownOf(source);
  return [series, intervalLabel(source.interval), rangeLabel(source.dateRange?.date_from), breakdown ? `by ${breakdown}` : null]
    .filter(Boolean)
    .join(' · ');
}

export interface SeriesNumbers {
  label: string;
  total: number;
  latest: number | null;
  data: number[];
  days: string[];
}

/** A trends `result` as labelled series; [] for anything else (another insight kind, no result yet). */
export function trendSummaries(result: unknown): SeriesNumbers[] {
  const parsed = z.array(trendSeriesSchema).safeParse(result);
  if (!parsed.success) return [];
  const orders = new Set(parsed.data.map((s) => s.action?.name ?? s.label));
  return parsed.data.map((s) => {
    const data = s.data.map((v) => v ?? 0);
    const base = s.action?.custom_name || s.label || s.action?.name || 'Series';
    const value = s.breakdown_value === undefined || s.breakdown_value === null ? null : breakdownValue(s.breakdown_value);
    const label = value === null ? base : orders.size > 1 ? `${base} · ${value}` : value;
    return {
      label,
      total: s.count ?? data.reduce((a, b) => a + b, 0),
      latest: data.length > 0 ? data[data.length - 1]! : null,
      data,
      days: s.days ?? s.labels ?? [],
    };
  });
}

function breakdownValue(value: unknown): string {
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return BREAKDOWN_LABELS[text] ?? (text === '' ? '(none)' : text);
}

export interface InsightForm {
  name: string;
  source: TrendsSource;
  dashboardId: number | null;
}

const RANGE_DAYS: Record<string, number> = {
  '-24h': 1,
  '-7d': 7,
  '-14d': 14,
  '-30d': 30,
  '-90d': 90,
  '-180d': 180,
  mStart: 31,
  '-1y': 365,
};
const MAX_HOURLY_DAYS = 14;
const NAME_MAX = 400;

/** The insight form's values, checked before Slack closes the form: inline errors, or the query to plan. */
export function validateInsightForm(values: ModalValues): { errors: Record<string, string> } | { data: InsightForm } {
  const f = INSIGHT_FIELDS;
  const errors: Record<string, string> = {};
  const name = readText(values, f.name);
  const event = readText(values, f.event);
  const math = readChoice(values, f.math) || 'total';
  const interval = readChoice(values, f.interval) || 'day';
  const range = readChoice(values, f.range) || '-30d';
  const breakdown = readText(values, f.breakdown);
  const breakdownType = readChoice(values, f.breakdownType) || 'event';
  const dashboard = readChoice(values, f.dashboard);
  if (name === '') errors[f.name] = 'Give the insight a name.';
  else if (name.length > NAME_MAX) errors[f.name] = `Keep the name under ${NAME_MAX} characters.`;
  if (event === '') errors[f.event] = 'Which event should the insight count? For example $pageview.';
  else if (event.length > NAME_MAX) errors[f.event] = 'That is not an event name.';
  if (!MATH_CHOICES.some((c) => c.value === math)) errors[f.math] = 'Pick a measure.';
  if (!INTERVAL_CHOICES.some((c) => c.value === interval)) errors[f.interval] = 'Pick an interval.';
  if (!RANGE_CHOICES.some((c) => c.value === range)) errors[f.range] = 'Pick a date range.';
  else if (interval === 'hour' && (RANGE_DAYS[range] ?? 0) > MAX_HOURLY_DAYS)
    errors[f.interval] = `Hourly charts cover at most ${MAX_HOURLY_DAYS} days: pick Day, or a shorter range.`;
  if (breakdown.length > NAME_MAX) errors[f.breakdown] = 'That is not a property name.';
  if (breakdownType !== 'event' && breakdownType !== 'person') errors[f.breakdownType] = 'Pick event or person.';
  if (dashboard !== '' && !/^\d+$/.test(dashboard)) errors[f.dashboard] = 'Pick a dashboard from the list.';
  if (Object.keys(errors).length > 0) return { errors };
  const source: TrendsSource = {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event, name: event, math }],
    interval,
    dateRange: { date_from: range },
    ...(breakdown ? { breakdownFilter: { breakdown, breakdown_type: breakdownType } } : {}),
  };
  return { data: { name, source, dashboardId: dashboard === '' ? null : Number(dashboard) } };
}
