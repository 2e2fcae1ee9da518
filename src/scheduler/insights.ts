/**
 * An insight and its current numbers, for digests and link unfurls: `GET /insights/{id}/?refresh=blocking` computes
 * the result now (PostHog's default answers from its cache, which may be empty or stale).
 */
import { z } from 'zod';
import { type Insight, insightSchema, trendSeriesSchema } from '../posthog/content-schemas.js';
import type { PostHogClient } from '../posthog/client.js';
import { path } from '../posthog/path.js';
import { type ChartModel, chartFromTrends } from './charts.js';

const insightRefSchema = z.looseObject({ id: z.number(), short_id: z.string() });

export class InsightNotFoundError extends Error {
  override readonly name = 'InsightNotFoundError';
}

/** An insight's numeric id, or the short id its URL carries (`/insights/aBc12XyZ`). */
export type InsightRef = string;

export function isNumericRef(ref: InsightRef): boolean {
  return /^\d+$/.test(ref);
}

/** Reads the insight, its result computed now. Throws InsightNotFoundError for a short id nobody has. */
export async function fetchInsight(posthog: PostHogClient, projectId: number | '@current', ref: InsightRef): Promise<Insight> {
  const query = { refresh: 'blocking' };
  if (isNumericRef(ref)) return posthog.request('GET', path`/api/projects/${projectId}/insights/${ref}/`, insightSchema, { query });
  const page = await posthog.listPage(path`/api/projects/${projectId}/insights/`, insightRefSchema, {
    limit: 1,
    query: { short_id: ref },
  });
  const found = page.results[0];
  if (!found) throw new InsightNotFoundError(`No insight with short id ${ref}`);
  return posthog.request('GET', path`/api/projects/${projectId}/insights/${found.id}/`, insightSchema, { query });
}

export function insightTitle(insight: Pick<Insight, 'name' | 'derived_name' | 'id'>): string {
  return insight.name || insight.derived_name || `Insight ${insight.id}`;
}

/** The kind of the insight's query (`TrendsQuery`, `FunnelsQuery` ...), or null for legacy filter-based ones. */
export function insightKind(insight: Insight): string | null {
  return insight.query?.source?.kind ?? insight.query?.kind ?? null;
}

const trendsResult = z.array(trendSeriesSchema);

const funnelStep = z.looseObject({
  name: z.string().nullish(),
  custom_name: z.string().nullish(),
  count: z.number(),
  order: z.number().nullish(),
});
const funnelResult = z.array(funnelStep);

export interface FunnelStep {
  name: string;
  count: number;
  /** Of the first step, 0..1. */
  conversion: number;
}

/** A trends result as a chart; null when the insight is not trends or has no data. */
export function insightChart(insight: Insight): ChartModel | null {
  if (insightKind(insight) !== 'TrendsQuery') return null;
  const parsed = trendsResult.safeParse(insight.result);
  return parsed.success ? chartFromTrends(insightTitle(insight), parsed.data) : null;
}

/** A funnel's steps with conversion from the first; null when the insight is not a (single) funnel. */
export function funnelSteps(insight: Insight): FunnelStep[] | null {
  if (insightKind(insight) !== 'FunnelsQuery') return null;
  const parsed = funnelResult.safeParse(insight.result);
  if (!parsed.success || parsed.data.length === 0) return null;
  const first = parsed.data[0]!.count;
  return parsed.data.map((s, i) => ({
    name: s.custom_name || s.name || `Step ${i + 1}`,
    count: s.count,
    conversion: first > 0 ? s.count / first : 0,
  }));
}

/** The latest value of each series, for a one-line summary ("Pageviews: 1,234 on 2025-01-14"). */
export function latestValues(chart: ChartModel): Array<{ name: string; value: number | null; at: string | null }> {
  return chart.series.map((s) => {
    const last = s.values.length - 1;
    return { name: s.name, value: s.values[last] ?? null, at: chart.x[last] ?? null };
  });
}
