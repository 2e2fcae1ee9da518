/**
 * Writing experiments the way PostHog's own app does, so what Slack creates looks right in PostHog:
 * - a metric carries a `uuid`, and the experiment lists it in `primary_metrics_ordered_uuids`: PostHog's experiment page
 *   shows only metrics whose uuid is in that ordering (products/experiments/backend: ExperimentSerializer fields
 *   `primary_metrics_ordered_uuids` / `secondary_metrics_ordered_uuids`);
 * - launch and stop go through ExperimentViewSet's `POST /experiments/{id}/launch/` and `/end/` actions
 *   (ee/clickhouse/views/experiments.py), which also switch the flag and record the lifecycle; a server without them
 *   (404/405) gets the older PATCH of `start_date` / `end_date`.
 */
import { randomUUID } from 'node:crypto';
import type { PostHogClient } from '../posthog/client.js';
import { isUpstreamError } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import type { ExperimentDraft } from './draft.js';
import { type Experiment, experimentSchema, funnelMetric } from './experiment.js';

/** POST /experiments/ body for a draft: its one funnel metric, with a uuid, listed as the primary metric. */
export function createBody(draft: ExperimentDraft, uuid: string = randomUUID()): Record<string, unknown> {
  return {
    name: draft.name,
    description: draft.description,
    feature_flag_key: draft.flagKey,
    parameters: { feature_flag_variants: draft.variants },
    metrics: [{ ...funnelMetric(draft.metricEvent, `${draft.metricEvent} conversion`), uuid }],
    primary_metrics_ordered_uuids: [uuid],
    secondary_metrics_ordered_uuids: [],
  };
}

export async function createExperiment(posthog: PostHogClient, projectId: number, draft: ExperimentDraft): Promise<Experiment> {
  return posthog.request('POST', path`/api/projects/${projectId}/experiments/`, experimentSchema, { body: createBody(draft) });
}

export type LifecycleChange = 'launch' | 'stop';

/** Launches or stops through PostHog's action; falls back to the date PATCH where the server has no such action. */
export async function changeLifecycle(
  posthog: PostHogClient,
  projectId: number,
  experimentId: number,
  change: LifecycleChange,
  now: Date,
): Promise<Experiment> {
  const action =
    change === 'launch'
      ? path`/api/projects/${projectId}/experiments/${experimentId}/launch/`
      : path`/api/projects/${projectId}/experiments/${experimentId}/end/`;
  try {
    return await posthog.request('POST', action, experimentSchema, { body: {} });
  } catch (error) {
    // An older server: no such action (404, or 405 where the route exists for other methods). Anything else is PostHog's answer.
    if (!isUpstreamError(error) || (error.kind !== 'posthog_not_found' && error.kind !== 'posthog_method_not_allowed')) throw error;
  }
  const body = change === 'launch' ? { start_date: now.toISOString() } : { end_date: now.toISOString() };
  return posthog.request('PATCH', path`/api/projects/${projectId}/experiments/${experimentId}/`, experimentSchema, { body });
}
