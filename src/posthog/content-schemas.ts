/**
 * Shapes of PostHog's content objects (dashboards, insights, cohorts, actions, surveys, definitions) as the bot reads
 * them. Loose, like schemas.ts: only what a view shows is required, and a field PostHog adds never breaks a command.
 */
import { z } from 'zod';

const personRef = z.looseObject({ first_name: z.string().nullish(), email: z.string().nullish() }).nullish();

/** One series of a trends result: `data[i]` is the value of the bucket `days[i]` (labelled `labels[i]`). */
export const trendSeriesSchema = z.looseObject({
  label: z.string().nullish(),
  data: z.array(z.number().nullable()),
  days: z.array(z.string()).nullish(),
  labels: z.array(z.string()).nullish(),
  count: z.number().nullish(),
  breakdown_value: z.unknown().optional(),
  action: z.looseObject({ name: z.string().nullish(), custom_name: z.string().nullish(), math: z.string().nullish() }).nullish(),
});
export type TrendSeries = z.infer<typeof trendSeriesSchema>;

export const insightSchema = z.looseObject({
  id: z.number(),
  short_id: z.string(),
  name: z.string().nullish(),
  derived_name: z.string().nullish(),
  description: z.string().nullish(),
  query: z.looseObject({ kind: z.string(), source: z.looseObject({ kind: z.string() }).nullish() }).nullish(),
  /** Trends: a list of series; other kinds have their own shapes, read later and defensively. */
  result: z.unknown().optional(),
  last_refresh: z.string().nullish(),
  last_modified_at: z.string().nullish(),
  dashboards: z.array(z.number()).nullish(),
  tags: z.array(z.string()).nullish(),
  favorited: z.boolean().nullish(),
  created_by: personRef,
});
export type Insight = z.infer<typeof insightSchema>;

export const dashboardTileSchema = z.looseObject({
  id: z.number().nullish(),
  insight: insightSchema.nullish(),
  text: z.looseObject({ body: z.string().nullish() }).nullish(),
  deleted: z.boolean().nullish(),
});

export const dashboardSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  pinned: z.boolean().nullish(),
  tags: z.array(z.string()).nullish(),
  created_at: z.string().nullish(),
  created_by: personRef,
  last_accessed_at: z.string().nullish(),
  /** Only on the detail view. */
  tiles: z.array(dashboardTileSchema).nullish(),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const cohortSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  filters: z.unknown().optional(),
  groups: z.array(z.unknown()).nullish(),
  is_static: z.boolean().nullish(),
  is_calculating: z.boolean().nullish(),
  count: z.number().nullish(),
  created_at: z.string().nullish(),
  created_by: personRef,
});
export type Cohort = z.infer<typeof cohortSchema>;

export const actionSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  steps: z
    .array(
      z.looseObject({ event: z.string().nullish(), url: z.string().nullish(), text: z.string().nullish(), selector: z.string().nullish() }),
    )
    .nullish(),
  created_at: z.string().nullish(),
});
export type Action = z.infer<typeof actionSchema>;

export const surveyQuestionSchema = z.looseObject({
  type: z.string(),
  question: z.string(),
  choices: z.array(z.string()).nullish(),
  scale: z.number().nullish(),
});

export const surveySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  type: z.string(),
  questions: z.array(surveyQuestionSchema).nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  archived: z.boolean().nullish(),
  created_at: z.string().nullish(),
  linked_flag: z.looseObject({ key: z.string().nullish() }).nullish(),
});
export type Survey = z.infer<typeof surveySchema>;

export const eventDefinitionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  last_seen_at: z.string().nullish(),
  created_at: z.string().nullish(),
  volume_30_day: z.number().nullish(),
  tags: z.array(z.string()).nullish(),
  verified: z.boolean().nullish(),
});
export type EventDefinition = z.infer<typeof eventDefinitionSchema>;

export const propertyDefinitionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  is_numerical: z.boolean().nullish(),
  property_type: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
});
export type PropertyDefinition = z.infer<typeof propertyDefinitionSchema>;
