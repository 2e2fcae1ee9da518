/** The experiment object as Hogbot reads it, and what it derives from it (status, variants, primary metric). */
import { z } from 'zod';

const variantSchema = z.looseObject({ key: z.string(), rollout_percentage: z.number().nullish() });

export const experimentSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  description: z.string().nullish(),
  feature_flag_key: z.string(),
  feature_flag: z
    .looseObject({
      id: z.number().nullish(),
      key: z.string().nullish(),
      active: z.boolean().nullish(),
      filters: z.looseObject({ multivariate: z.looseObject({ variants: z.array(variantSchema).nullish() }).nullish() }).nullish(),
    })
    .nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  archived: z.boolean().nullish(),
  created_at: z.string().nullish(),
  parameters: z.looseObject({ feature_flag_variants: z.array(variantSchema).nullish() }).nullish(),
  metrics: z.array(z.unknown()).nullish(),
  conclusion: z.string().nullish(),
  conclusion_comment: z.string().nullish(),
});
export type Experiment = z.infer<typeof experimentSchema>;

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

/** PostHog's own rule: no start date is a draft, an end date means stopped. */
export function statusOf(e: Pick<Experiment, 'start_date' | 'end_date'>): ExperimentStatus {
  if (!e.start_date) return 'draft';
  return e.end_date ? 'stopped' : 'running';
}

export interface Variant {
  key: string;
  /** Null when neither the experiment nor its flag says. */
  percent: number | null;
}

/** The experiment's variants, else its flag's. */
export function variantsOf(e: Experiment): Variant[] {
  const raw = e.parameters?.feature_flag_variants ?? e.feature_flag?.filters?.multivariate?.variants ?? [];
  return raw.map((v) => ({ key: v.key, percent: v.rollout_percentage ?? null }));
}

export interface PrimaryMetric {
  /** The metric object as stored, passed back to PostHog in an ExperimentQuery. */
  raw: Record<string, unknown>;
  name: string | null;
  kind: 'funnel' | 'mean' | 'other';
  /** The event that counts as a conversion (a funnel's last step, a mean metric's event), when it is an event. */
  event: string | null;
}

const seriesNode = z.looseObject({ kind: z.string().nullish(), event: z.string().nullish(), name: z.string().nullish() });
const metricShape = z.looseObject({
  name: z.string().nullish(),
  metric_type: z.string().nullish(),
  series: z.array(seriesNode).nullish(),
  source: seriesNode.nullish(),
});

export function primaryMetricOf(e: Experiment): PrimaryMetric | null {
  const first = e.metrics?.[0];
  const parsed = metricShape.safeParse(first);
  if (!parsed.success) return null;
  const m = parsed.data;
  const kind = m.metric_type === 'funnel' ? 'funnel' : m.metric_type === 'mean' ? 'mean' : 'other';
  const node = kind === 'mean' ? m.source : m.series?.[m.series.length - 1];
  const event = node && (node.kind == null || node.kind === 'EventsNode') && node.event ? node.event : null;
  return { raw: first as Record<string, unknown>, name: m.name ?? null, kind, event };
}

/** The metric Hogbot writes for `/ph experiment create`: a one-step funnel, "did <event> after exposure". */
export function funnelMetric(event: string, name: string): Record<string, unknown> {
  return {
    kind: 'ExperimentMetric',
    metric_type: 'funnel',
    name,
    series: [{ kind: 'EventsNode', event, name: event }],
  };
}
