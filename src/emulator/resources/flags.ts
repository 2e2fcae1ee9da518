/**
 * Feature flags, with PostHog's validation (key format and uniqueness, filters), soft delete, and a `version` that
 * grows on every write.
 */
import { isoTime, json, notFound, ReplyError, softDeleteOnly } from '../http.js';
import { newFlag, normalizeFlagFilters, userBasic } from '../factories.js';
import type { FeatureFlag, ProjectData } from '../model.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { bodyObject, boolParam, findLive, icontains, jsonListParam, live } from './context.js';
import { paginate } from './pagination.js';
import { invalid, optionalBool, optionalObject, optionalString, optionalStringList, requiredString } from './validate.js';

const KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;

export function registerFlags(routes: ApiRoutes): void {
  routes
    .project('GET', '/feature_flags', list)
    .project('POST', '/feature_flags', create)
    // Like PostHog, only the list hides soft-deleted flags: retrieve and update still reach them (that is how a delete is undone).
    .project('GET', '/feature_flags/:id', (ctx) => json(200, presentFlag(findAny(ctx.data.feature_flags, ctx.params.id), ctx.data)))
    .project('PATCH', '/feature_flags/:id', update)
    .project('PUT', '/feature_flags/:id', update)
    .project('DELETE', '/feature_flags/:id', (ctx) => {
      findLive(ctx.data.feature_flags, ctx.params.id);
      return softDeleteOnly();
    });
}

function list(ctx: ProjectContext) {
  const search = ctx.query.get('search')?.trim();
  const active = boolParam(ctx.query, 'active');
  const tags = jsonListParam(ctx.query, 'tags')?.map(String);
  const type = ctx.query.get('type');
  const flags = live(ctx.data.feature_flags)
    .filter((f) => !search || icontains(f.key, search) || icontains(f.name, search))
    .filter((f) => active === undefined || f.active === active)
    .filter((f) => !tags || tags.length === 0 || f.tags.some((t) => tags.includes(t)))
    .filter((f) => {
      if (type === 'boolean') return !isMultivariate(f);
      if (type === 'multivariant') return isMultivariate(f);
      if (type === 'experiment') return experimentIds(f, ctx.data).length > 0;
      return true;
    })
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  return json(200, paginate(ctx, flags, (f) => presentFlag(f, ctx.data)));
}

function create(ctx: ProjectContext) {
  const body = bodyObject(ctx);
  const key = validateKey(ctx.data, requiredString(body, 'key'), null);
  const filters = body.filters === undefined ? undefined : validateFilters(optionalObject(body, 'filters') ?? {});
  const flag = newFlag(ctx.state.nextId('flag'), { now: isoTime(ctx.now), user: ctx.account.user }, {
    key,
    name: optionalString(body, 'name', { allowBlank: true, allowNull: true }) ?? '',
    active: optionalBool(body, 'active') ?? true,
    ...(filters && { filters }),
    tags: optionalStringList(body, 'tags') ?? [],
    ensure_experience_continuity: optionalBool(body, 'ensure_experience_continuity') ?? false,
  });
  ctx.data.feature_flags.push(flag);
  return json(201, presentFlag(flag, ctx.data));
}

/** A flag by id, soft-deleted or not, or a 404. */
function findAny(flags: FeatureFlag[], rawId: string | undefined): FeatureFlag {
  const found = flags.find((f) => String(f.id) === rawId);
  if (!found) throw new ReplyError(notFound());
  return found;
}

function update(ctx: ProjectContext) {
  const flag = findAny(ctx.data.feature_flags, ctx.params.id);
  const body = bodyObject(ctx);
  // Validate everything before touching the flag: a 400 must leave it unchanged.
  const key = body.key === undefined ? undefined : validateKey(ctx.data, requiredString(body, 'key'), flag.id);
  const name = optionalString(body, 'name', { allowBlank: true, allowNull: true });
  const active = optionalBool(body, 'active');
  const deleted = optionalBool(body, 'deleted');
  const tags = optionalStringList(body, 'tags');
  const continuity = optionalBool(body, 'ensure_experience_continuity');
  const rawFilters = optionalObject(body, 'filters');
  // PostHog keeps the current filters when a PATCH sends filters without `groups`.
  const filters = rawFilters && 'groups' in rawFilters ? validateFilters(rawFilters) : undefined;
  // Restoring a flag whose key a live flag has taken since would make two live flags share a key.
  if (deleted === false && flag.deleted && key === undefined) validateKey(ctx.data, flag.key, flag.id);
  if (deleted === true && ctx.data.experiments.some((e) => e.feature_flag === flag.id && !e.deleted)) {
    invalid(null, 'Cannot delete a feature flag that is in use with experiments. Please delete the experiment before deleting the flag.');
  }

  if (key !== undefined) flag.key = key;
  if (name !== undefined) flag.name = name ?? '';
  if (active !== undefined) flag.active = active;
  if (deleted !== undefined) flag.deleted = deleted;
  if (tags !== undefined) flag.tags = tags;
  if (continuity !== undefined) flag.ensure_experience_continuity = continuity;
  if (filters !== undefined) flag.filters = filters;
  touchFlag(flag, ctx);
  return json(200, presentFlag(flag, ctx.data));
}

/** Every write bumps `version` and `updated_at`, as PostHog does. */
export function touchFlag(flag: FeatureFlag, ctx: ProjectContext): void {
  flag.version += 1;
  flag.updated_at = isoTime(ctx.now);
  flag.last_modified_by = userBasic(ctx.account.user);
}

export function validateKey(data: ProjectData, key: string, selfId: number | null): string {
  if (!KEY_PATTERN.test(key)) invalid('key', 'Only letters, numbers, hyphens (-) & underscores (_) are allowed.', 'invalid_key');
  if (data.feature_flags.some((f) => f.key === key && !f.deleted && f.id !== selfId)) {
    invalid('key', 'There is already a feature flag with this key.', 'unique');
  }
  return key;
}

export function validateFilters(filters: Record<string, unknown>): Record<string, unknown> {
  const groups = filters.groups ?? [];
  if (!Array.isArray(groups)) invalid('filters', 'Filters are not valid (groups must be a list).');
  const variants = variantKeys(filters.multivariate);
  for (const group of groups as unknown[]) {
    if (typeof group !== 'object' || group === null || Array.isArray(group)) invalid('filters', 'Filters are not valid (each group must be an object).');
    const g = group as Record<string, unknown>;
    const rollout = g.rollout_percentage;
    if (rollout !== undefined && rollout !== null && (typeof rollout !== 'number' || rollout < 0 || rollout > 100)) {
      invalid('filters', 'Rollout percentage must be a number between 0 and 100.');
    }
    if (g.properties !== undefined && !Array.isArray(g.properties)) invalid('filters', 'Filters are not valid (properties must be a list).');
    if (g.variant != null && !variants.includes(String(g.variant))) {
      invalid('filters', `Filters are not valid (variant override "${String(g.variant)}" does not exist on flag)`);
    }
  }
  return normalizeFlagFilters(filters);
}

function variantKeys(multivariate: unknown): string[] {
  if (multivariate == null) return [];
  const variants = (multivariate as { variants?: unknown }).variants;
  if (typeof multivariate !== 'object' || !Array.isArray(variants)) invalid('filters', 'Invalid variant definitions: variants must be a list.');
  let sum = 0;
  const keys: string[] = [];
  for (const v of variants as Record<string, unknown>[]) {
    if (typeof v?.key !== 'string' || v.key === '') invalid('filters', 'Invalid variant definitions: every variant needs a key.');
    if (typeof v.rollout_percentage !== 'number') invalid('filters', 'Invalid variant definitions: every variant needs a rollout_percentage.');
    sum += v.rollout_percentage as number;
    keys.push(v.key as string);
  }
  if (Math.abs(sum - 100) > 1e-9) invalid('filters', 'Invalid variant definitions: Variant rollout percentages must sum to 100.');
  return keys;
}

function isMultivariate(flag: FeatureFlag): boolean {
  const mv = flag.filters.multivariate as { variants?: unknown[] } | null | undefined;
  return Array.isArray(mv?.variants) && mv.variants.length > 0;
}

function experimentIds(flag: FeatureFlag, data: ProjectData): number[] {
  return data.experiments.filter((e) => e.feature_flag === flag.id && !e.deleted).map((e) => e.id);
}

export function presentFlag(flag: FeatureFlag, data: ProjectData): Record<string, unknown> {
  const groups = (flag.filters.groups as Record<string, unknown>[] | undefined) ?? [];
  const simple = groups.length === 1 && !isMultivariate(flag) && ((groups[0]?.properties as unknown[] | undefined) ?? []).length === 0;
  return {
    ...flag,
    rollout_percentage: simple ? (groups[0]?.rollout_percentage ?? null) : null,
    is_simple_flag: simple,
    experiment_set: experimentIds(flag, data),
    status: 'ACTIVE',
  };
}
