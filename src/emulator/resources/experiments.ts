/**
 * Experiments: each owns a multivariate feature flag (created with it, or an existing eligible one). A draft has no
 * `start_date`; launching (PATCH `start_date`) turns the flag on; `end_date` stops it. `feature_flag_key` is immutable.
 */
import { newExperiment, newFlag } from '../factories.js';
import { ReplyError, isoTime, json, validationError } from '../http.js';
import type { Experiment, FeatureFlag } from '../model.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { findLive, live } from './context.js';
import { byNewest, registerCrud } from './crud.js';
import { touchFlag, validateKey } from './flags.js';
import { invalid, optionalBool, optionalDateTime, optionalList, optionalObject, optionalString, requiredString } from './validate.js';

type Variant = { key: string; rollout_percentage: number };
const DEFAULT_VARIANTS: Variant[] = [
  { key: 'control', rollout_percentage: 50 },
  { key: 'test', rollout_percentage: 50 },
];

export function registerExperiments(routes: ApiRoutes): void {
  registerCrud<Experiment>(routes, {
    path: '/experiments',
    collection: (d) => d.experiments,
    softDelete: true,
    // PostHog's experiment search matches the name only (name__icontains), not the description or the flag key.
    searchFields: ['name'],
    filter: (ctx, e) => {
      const archived = ctx.query.get('archived');
      return archived === null || String(e.archived) === archived.toLowerCase();
    },
    order: byNewest,
    present: (ctx, e) => presentExperiment(ctx, e),
    create,
    update,
  });
  // ExperimentViewSet.launch / .end (ee/clickhouse/views/experiments.py): POST actions on newer servers.
  routes
    .project('POST', '/experiments/:id/launch', (ctx) => {
      const e = findLive(ctx.data.experiments, ctx.params.id);
      if (e.start_date !== null) invalid(null, 'Experiment has already been launched.');
      update(ctx, e, { start_date: isoTime(ctx.now) });
      return json(200, presentExperiment(ctx, e));
    })
    .project('POST', '/experiments/:id/end', (ctx) => {
      const e = findLive(ctx.data.experiments, ctx.params.id);
      if (e.start_date === null || e.end_date !== null) invalid(null, 'Experiment is not running.');
      const body = ctx.body && typeof ctx.body === 'object' ? (ctx.body as Record<string, unknown>) : {};
      update(ctx, e, {
        end_date: isoTime(ctx.now),
        ...(body.conclusion !== undefined && { conclusion: body.conclusion }),
        ...(body.conclusion_comment !== undefined && { conclusion_comment: body.conclusion_comment }),
      });
      return json(200, presentExperiment(ctx, e));
    });
}

function create(ctx: ProjectContext, body: Record<string, unknown>): Experiment {
  const name = requiredString(body, 'name');
  const key = requiredString(body, 'feature_flag_key');
  const variants = validVariants(optionalObject(body, 'parameters')) ?? DEFAULT_VARIANTS;
  const start = optionalDateTime(body, 'start_date', isoTime) ?? null;
  const description = optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '';
  const metrics = optionalList(body, 'metrics') ?? [];
  const secondary = optionalList(body, 'metrics_secondary') ?? [];
  const primaryOrder = uuidList(body, 'primary_metrics_ordered_uuids');
  const secondaryOrder = uuidList(body, 'secondary_metrics_ordered_uuids');
  const meta = { now: isoTime(ctx.now), user: ctx.account.user };

  const existing = live(ctx.data.feature_flags).find((f) => f.key === key);
  let flag: FeatureFlag;
  if (existing) {
    if (!eligible(existing)) invalid(null, 'Feature flag is not eligible for experiments.');
    flag = existing;
  } else {
    validateKey(ctx.data, key, null);
    flag = newFlag(ctx.state.nextId('flag'), meta, {
      key,
      name: `Feature Flag for Experiment ${name}`,
      active: start !== null,
      filters: {
        groups: [{ properties: [], rollout_percentage: 100 }],
        multivariate: { variants: variants.map((v) => ({ ...v, name: '' })) },
      },
    });
    flag.creation_context = 'experiments';
    ctx.data.feature_flags.push(flag);
  }
  return newExperiment(
    ctx.state.nextId('experiment'),
    meta,
    {
      name,
      description,
      feature_flag_key: key,
      variants,
      start_date: start,
      metrics,
      metrics_secondary: secondary,
      primary_metrics_ordered_uuids: primaryOrder ?? null,
      secondary_metrics_ordered_uuids: secondaryOrder ?? null,
    },
    flag.id,
  );
}

/** `primary_metrics_ordered_uuids` / `secondary_…`: a list of metric uuids, or null. */
function uuidList(body: Record<string, unknown>, attr: string): string[] | null | undefined {
  if (body[attr] === null) return null;
  const list = optionalList(body, attr);
  if (list?.some((u) => typeof u !== 'string')) invalid(attr, 'Expected a list of metric uuids.');
  return list as string[] | undefined;
}

function update(ctx: ProjectContext, e: Experiment, body: Record<string, unknown>): void {
  if (body.feature_flag_key !== undefined && body.feature_flag_key !== e.feature_flag_key) {
    invalid(null, "Can't update keys: feature_flag_key on Experiment");
  }
  const name = body.name === undefined ? undefined : requiredString(body, 'name');
  const description = optionalString(body, 'description', { allowBlank: true, allowNull: true });
  const start = optionalDateTime(body, 'start_date', isoTime);
  const end = optionalDateTime(body, 'end_date', isoTime);
  const archived = optionalBool(body, 'archived');
  const metrics = optionalList(body, 'metrics');
  const secondary = optionalList(body, 'metrics_secondary');
  const primaryOrder = uuidList(body, 'primary_metrics_ordered_uuids');
  const secondaryOrder = uuidList(body, 'secondary_metrics_ordered_uuids');
  const conclusion = optionalString(body, 'conclusion', { allowNull: true });
  const comment = optionalString(body, 'conclusion_comment', { allowBlank: true, allowNull: true });
  const parameters = optionalObject(body, 'parameters');
  const variants = validVariants(parameters);
  if (variants !== undefined && e.start_date !== null) invalid(null, "Can't update feature_flag_variants on Experiment");
  if (end != null && (start ?? e.start_date) === null) invalid('end_date', 'An experiment cannot end before it has started.');

  if (name !== undefined) e.name = name;
  if (description !== undefined) e.description = description ?? '';
  if (archived !== undefined) e.archived = archived;
  if (metrics !== undefined) e.metrics = metrics;
  if (secondary !== undefined) e.metrics_secondary = secondary;
  if (primaryOrder !== undefined) e.primary_metrics_ordered_uuids = primaryOrder;
  if (secondaryOrder !== undefined) e.secondary_metrics_ordered_uuids = secondaryOrder;
  if (conclusion !== undefined) e.conclusion = conclusion;
  if (comment !== undefined) e.conclusion_comment = comment;
  if (parameters !== undefined)
    e.parameters = { ...e.parameters, ...parameters, feature_flag_variants: variants ?? e.parameters.feature_flag_variants };
  const flag = ctx.data.feature_flags.find((f) => f.id === e.feature_flag);
  if (variants !== undefined && flag) {
    flag.filters = { ...flag.filters, multivariate: { variants: variants.map((v) => ({ ...v, name: '' })) } };
    touchFlag(flag, ctx);
  }
  if (start !== undefined) {
    const launching = e.start_date === null && start !== null;
    e.start_date = start;
    if (launching && flag && !flag.active) {
      flag.active = true;
      touchFlag(flag, ctx);
    }
  }
  if (end !== undefined) e.end_date = end;
  e.updated_at = isoTime(ctx.now);
}

function validVariants(parameters: Record<string, unknown> | undefined): Variant[] | undefined {
  const raw = parameters?.feature_flag_variants;
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length < 2) invalid('parameters', 'Experiments need at least two variants.');
  const variants = raw as Record<string, unknown>[];
  if (variants.some((v) => typeof v?.key !== 'string' || typeof v.rollout_percentage !== 'number')) {
    invalid('parameters', 'Each variant needs a key and a rollout_percentage.');
  }
  if (!variants.some((v) => v.key === 'control')) invalid('parameters', 'Feature flag variants must contain a control variant');
  const sum = variants.reduce((s, v) => s + (v.rollout_percentage as number), 0);
  if (Math.abs(sum - 100) > 1e-9)
    throw new ReplyError(validationError('Invalid variant definitions: Variant rollout percentages must sum to 100.', 'parameters'));
  return variants.map((v) => ({ key: v.key as string, rollout_percentage: v.rollout_percentage as number }));
}

function eligible(flag: FeatureFlag): boolean {
  const variants = (flag.filters.multivariate as { variants?: { key?: unknown }[] } | null | undefined)?.variants;
  return Array.isArray(variants) && variants.some((v) => v.key === 'control');
}

function presentExperiment(ctx: ProjectContext, e: Experiment): Record<string, unknown> {
  const flag = ctx.data.feature_flags.find((f) => f.id === e.feature_flag);
  return {
    ...e,
    feature_flag: flag
      ? {
          id: flag.id,
          team_id: ctx.projectId,
          name: flag.name,
          key: flag.key,
          filters: flag.filters,
          deleted: flag.deleted,
          active: flag.active,
          ensure_experience_continuity: flag.ensure_experience_continuity,
          has_encrypted_payloads: false,
          version: flag.version,
        }
      : null,
  };
}
