/**
 * An experiment's results: PostHog's ExperimentQuery first; when it answers nothing usable (older PostHog, a metric
 * it cannot run, an emulator that only speaks HogQL), Hogbot's own statistics over HogQL event counts.
 */
import { z } from 'zod';
import { QUERY_TIMEOUT_MS } from '../lookups/hogql.js';
import type { PostHogClient } from '../posthog/client.js';
import { isUpstreamError } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import { describeUpstreamError } from '../posthog/translate.js';
import { variantCounts } from './counts.js';
import { type Experiment, primaryMetricOf, statusOf, variantsOf } from './experiment.js';
import { type ExperimentResults, resultsFromCounts, resultsFromExperimentQuery } from './results.js';

export type ResultsOutcome =
  | { kind: 'draft' }
  | { kind: 'results'; results: ExperimentResults; metricEvent: string | null }
  | { kind: 'unavailable'; reason: string };

export async function loadResults(posthog: PostHogClient, projectId: number, e: Experiment, now: Date): Promise<ResultsOutcome> {
  if (statusOf(e) === 'draft' || !e.start_date) return { kind: 'draft' };
  const metric = primaryMetricOf(e);
  const keys = variantsOf(e).map((v) => v.key);
  if (metric) {
    const fromPostHog = await experimentQuery(posthog, projectId, e.id, metric.raw, keys);
    if (fromPostHog) return { kind: 'results', results: fromPostHog, metricEvent: metric.event };
  }
  if (!metric?.event) {
    return { kind: 'unavailable', reason: 'PostHog gave no results, and the primary metric is not a single event Hogbot can count.' };
  }
  if (keys.length === 0) return { kind: 'unavailable', reason: 'the experiment lists no variants.' };
  try {
    const counts = await variantCounts(
      posthog,
      projectId,
      {
        flagKey: e.feature_flag_key,
        metricEvent: metric.event,
        start: new Date(e.start_date),
        end: e.end_date ? new Date(e.end_date) : null,
      },
      keys,
      now,
    );
    return { kind: 'results', results: resultsFromCounts(counts), metricEvent: metric.event };
  } catch (error) {
    if (isUpstreamError(error)) return { kind: 'unavailable', reason: describeUpstreamError(error) };
    throw error;
  }
}

/** Null whenever PostHog has no usable answer: the fallback decides what to show, so no failure here is final. */
async function experimentQuery(
  posthog: PostHogClient,
  projectId: number,
  experimentId: number,
  metric: Record<string, unknown>,
  keys: string[],
): Promise<ExperimentResults | null> {
  const body = { query: { kind: 'ExperimentQuery', metric, experiment_id: experimentId }, refresh: 'blocking' };
  try {
    // Not retried: a slow or failing ExperimentQuery should fall through to the HogQL counts, not wait three times.
    const res = await posthog.request('POST', path`/api/projects/${projectId}/query/`, z.unknown(), {
      body,
      idempotent: false,
      timeoutMs: QUERY_TIMEOUT_MS,
    });
    return resultsFromExperimentQuery(res, keys);
  } catch (error) {
    if (isUpstreamError(error)) return null;
    throw error;
  }
}
