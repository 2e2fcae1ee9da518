/**
 * Per-variant exposures and conversions from raw events, for when PostHog's ExperimentQuery gives no answer.
 *
 * Exposed: a person with a `$feature_flag_called` event for the experiment's flag inside the experiment's window,
 * in the variant of their first such event (`$feature_flag_response`). Converted: an exposed person who did the
 * metric event at or after that first exposure, inside the window. One aggregation on PostHog's side, so only a
 * row per variant travels.
 */
import { countOf, queryRows } from '../lookups/hogql.js';
import type { PostHogClient } from '../posthog/client.js';
import type { Binomial } from './stats.js';

export const EXPOSURE_EVENT = '$feature_flag_called';

export interface CountsWindow {
  flagKey: string;
  metricEvent: string;
  start: Date;
  /** Null while the experiment runs. */
  end: Date | null;
}

export const COUNTS_QUERY = `
SELECT variant, count() AS exposures, countIf(converted_at >= exposed_at) AS conversions
FROM (
  SELECT person_id,
    argMinIf(properties.$feature_flag_response, timestamp, event = '${EXPOSURE_EVENT}') AS variant,
    minIf(timestamp, event = '${EXPOSURE_EVENT}') AS exposed_at,
    maxIf(timestamp, event = {metric_event}) AS converted_at
  FROM events
  WHERE ((event = '${EXPOSURE_EVENT}' AND properties.$feature_flag = {flag_key}) OR event = {metric_event})
    AND timestamp >= toDateTime({date_from}) AND timestamp <= toDateTime({date_to})
  GROUP BY person_id
  HAVING countIf(event = '${EXPOSURE_EVENT}') > 0
)
GROUP BY variant
ORDER BY variant`.trim();

/** Counts for each of `variantKeys`, in that order (zero when nobody saw a variant); other responses are dropped. */
export async function variantCounts(
  posthog: PostHogClient,
  projectId: number,
  window: CountsWindow,
  variantKeys: readonly string[],
  now: Date,
): Promise<Array<{ key: string } & Binomial>> {
  const { rows } = await queryRows(posthog, projectId, COUNTS_QUERY, {
    flag_key: window.flagKey,
    metric_event: window.metricEvent,
    date_from: window.start.toISOString(),
    date_to: (window.end ?? now).toISOString(),
  });
  const byKey = new Map<string, Binomial>();
  for (const [variant, exposures, conversions] of rows) {
    if (typeof variant !== 'string') continue;
    byKey.set(variant, { trials: countOf(exposures), successes: countOf(conversions) });
  }
  return variantKeys.map((key) => ({ key, ...(byKey.get(key) ?? { trials: 0, successes: 0 }) }));
}
