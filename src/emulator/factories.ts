/**
 * Builders for stored PostHog objects, in their API shape with PostHog's defaults. Used by the seed and by the
 * create endpoints, so seeded and created objects look alike. Inputs are already validated.
 */
import type { Experiment, FeatureFlag, Stored, UserRecord } from './model.js';

export interface Meta {
  /** ISO timestamp (PostHog format). */
  now: string;
  user: UserRecord;
}

export function userBasic(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    uuid: user.uuid,
    distinct_id: user.distinct_id,
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    is_email_verified: true,
    hedgehog_config: null,
    role_at_organization: 'engineering',
  };
}

export function normalizeFlagFilters(filters: Record<string, unknown> | undefined): Record<string, unknown> {
  const groups = Array.isArray(filters?.groups) ? (filters.groups as Record<string, unknown>[]) : [{ rollout_percentage: 0 }];
  return {
    ...filters,
    groups: groups.map((g) => ({ properties: [], rollout_percentage: null, variant: null, ...g })),
    multivariate: filters?.multivariate ?? null,
    payloads: filters?.payloads ?? {},
  };
}

export interface FlagInput {
  key: string;
  name?: string;
  active?: boolean;
  filters?: Record<string, unknown>;
  tags?: string[];
  ensure_experience_continuity?: boolean;
  deleted?: boolean;
}

export function newFlag(id: number, meta: Meta, input: FlagInput): FeatureFlag {
  const createdBy = userBasic(meta.user);
  return {
    id,
    name: input.name ?? '',
    key: input.key,
    filters: normalizeFlagFilters(input.filters),
    deleted: input.deleted ?? false,
    active: input.active ?? true,
    created_by: createdBy,
    created_at: meta.now,
    updated_at: meta.now,
    version: 1,
    last_modified_by: createdBy,
    ensure_experience_continuity: input.ensure_experience_continuity ?? false,
    surveys: [],
    features: [],
    rollback_conditions: null,
    performed_rollback: false,
    can_edit: true,
    tags: input.tags ?? [],
    evaluation_tags: [],
    usage_dashboard: null,
    analytics_dashboards: [],
    has_enriched_analytics: false,
    user_access_level: 'editor',
    creation_context: 'feature_flags',
    is_remote_configuration: false,
    has_encrypted_payloads: false,
    evaluation_runtime: 'all',
  };
}

export interface ExperimentInput {
  name: string;
  description?: string;
  feature_flag_key: string;
  variants: { key: string; rollout_percentage: number }[];
  start_date?: string | null;
  end_date?: string | null;
  metrics?: unknown[];
  metrics_secondary?: unknown[];
  /** The UI lists only metrics whose uuid is here (null on experiments made before ordering existed). */
  primary_metrics_ordered_uuids?: string[] | null;
  secondary_metrics_ordered_uuids?: string[] | null;
  archived?: boolean;
  deleted?: boolean;
}

/** `feature_flag` holds the flag's id; the API expands it into the flag's summary. */
export function newExperiment(id: number, meta: Meta, input: ExperimentInput, flagId: number): Experiment {
  return {
    id,
    name: input.name,
    description: input.description ?? '',
    start_date: input.start_date ?? null,
    end_date: input.end_date ?? null,
    feature_flag_key: input.feature_flag_key,
    feature_flag: flagId,
    holdout: null,
    holdout_id: null,
    exposure_cohort: null,
    parameters: { feature_flag_variants: input.variants, minimum_detectable_effect: 30 },
    secondary_metrics: [],
    saved_metrics: [],
    saved_metrics_ids: [],
    filters: {},
    archived: input.archived ?? false,
    deleted: input.deleted ?? false,
    created_by: userBasic(meta.user),
    created_at: meta.now,
    updated_at: meta.now,
    type: 'product',
    exposure_criteria: { filterTestAccounts: true },
    metrics: input.metrics ?? [],
    metrics_secondary: input.metrics_secondary ?? [],
    primary_metrics_ordered_uuids: input.primary_metrics_ordered_uuids ?? null,
    secondary_metrics_ordered_uuids: input.secondary_metrics_ordered_uuids ?? null,
    stats_config: { method: 'bayesian' },
    conclusion: null,
    conclusion_comment: null,
    user_access_level: 'editor',
  };
}

export function newDashboard(
  id: number,
  meta: Meta,
  input: { name: string; description?: string; pinned?: boolean; tags?: string[]; deleted?: boolean },
): Stored {
  return {
    id,
    name: input.name,
    description: input.description ?? '',
    pinned: input.pinned ?? false,
    created_at: meta.now,
    created_by: userBasic(meta.user),
    last_accessed_at: meta.now,
    is_shared: false,
    deleted: input.deleted ?? false,
    creation_mode: 'default',
    restriction_level: 21,
    effective_restriction_level: 21,
    effective_privilege_level: 37,
    user_access_level: 'editor',
    tags: input.tags ?? [],
    filters: {},
    variables: {},
    breakdown_colors: [],
    data_color_theme_id: null,
    last_refresh: null,
  };
}

export interface InsightInput {
  name: string;
  description?: string;
  query: unknown;
  dashboards?: number[];
  tags?: string[];
  favorited?: boolean;
  deleted?: boolean;
}

export function newInsight(id: number, shortId: string, meta: Meta, input: InsightInput): Stored {
  const user = userBasic(meta.user);
  return {
    id,
    short_id: shortId,
    name: input.name,
    derived_name: null,
    query: input.query,
    order: null,
    deleted: input.deleted ?? false,
    dashboards: input.dashboards ?? [],
    last_refresh: null,
    cache_target_age: null,
    next_allowed_client_refresh: null,
    result: null,
    created_at: meta.now,
    created_by: user,
    description: input.description ?? '',
    updated_at: meta.now,
    tags: input.tags ?? [],
    favorited: input.favorited ?? false,
    last_modified_at: meta.now,
    last_modified_by: user,
    is_sample: false,
    effective_restriction_level: 21,
    effective_privilege_level: 37,
    user_access_level: 'editor',
    is_cached: false,
    query_status: null,
    saved: true,
  };
}

export function newCohort(
  id: number,
  meta: Meta,
  input: {
    name: string;
    description?: string;
    filters?: unknown;
    groups?: unknown[];
    is_static?: boolean;
    count?: number | null;
    deleted?: boolean;
  },
): Stored {
  return {
    id,
    name: input.name,
    description: input.description ?? '',
    groups: input.groups ?? [],
    deleted: input.deleted ?? false,
    filters: input.filters ?? null,
    query: null,
    is_calculating: false,
    created_by: userBasic(meta.user),
    created_at: meta.now,
    last_calculation: meta.now,
    errors_calculating: 0,
    count: input.count ?? null,
    is_static: input.is_static ?? false,
    experiment_set: [],
  };
}

export function newAction(
  id: number,
  teamId: number,
  meta: Meta,
  input: { name: string; description?: string; steps: unknown[]; tags?: string[]; deleted?: boolean },
): Stored {
  return {
    id,
    name: input.name,
    description: input.description ?? '',
    tags: input.tags ?? [],
    post_to_slack: false,
    slack_message_format: '',
    steps: input.steps,
    created_at: meta.now,
    created_by: userBasic(meta.user),
    deleted: input.deleted ?? false,
    is_calculating: false,
    last_calculated_at: meta.now,
    team_id: teamId,
    is_action: true,
    bytecode_error: null,
    pinned_at: null,
    creation_context: null,
  };
}

export function newAnnotation(
  id: number,
  meta: Meta,
  input: { content: string; date_marker: string; scope?: string; dashboard_item?: number | null; deleted?: boolean },
): Stored {
  return {
    id,
    content: input.content,
    date_marker: input.date_marker,
    creation_type: 'USR',
    dashboard_item: input.dashboard_item ?? null,
    dashboard_id: null,
    dashboard_name: null,
    insight_short_id: null,
    insight_name: null,
    insight_derived_name: null,
    created_by: userBasic(meta.user),
    created_at: meta.now,
    updated_at: meta.now,
    deleted: input.deleted ?? false,
    scope: input.scope ?? 'project',
  };
}

export interface SurveyInput {
  name: string;
  description?: string;
  type: string;
  questions: Record<string, unknown>[];
  start_date?: string | null;
  end_date?: string | null;
  archived?: boolean;
  linked_flag_id?: number | null;
}

export function newSurvey(id: string, questionIds: string[], meta: Meta, input: SurveyInput): Stored {
  return {
    id,
    name: input.name,
    description: input.description ?? '',
    type: input.type,
    schedule: 'once',
    linked_flag: null,
    linked_flag_id: input.linked_flag_id ?? null,
    targeting_flag: null,
    internal_targeting_flag: null,
    questions: input.questions.map((q, i) => ({ id: questionIds[i], ...q })),
    conditions: null,
    appearance: null,
    created_at: meta.now,
    created_by: userBasic(meta.user),
    start_date: input.start_date ?? null,
    end_date: input.end_date ?? null,
    archived: input.archived ?? false,
    responses_limit: null,
    iteration_count: null,
    iteration_frequency_days: null,
    current_iteration: null,
    current_iteration_start_date: null,
    enable_partial_responses: false,
  };
}
