/**
 * Feature flags, with PostHog's validation (key format and uniqueness, filters), soft delete, and a `version` that
 * grows on every write.
 */
import { isDeepStrictEqual } from 'node:util';
import { isoTime, json, notFound, ReplyError, softDeleteOnly } from '../http.js';
import { newFlag, normalizeFlagFilters, userBasic } from '../factories.js';
import type { FeatureFlag, ProjectData } from '../model.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { bodyObject, boolParam, findLive, icontains, jsonListParam, live } from './context.js';
import { gateFlagWrite } from './approvals.js';
import { earlyAccessFeaturesOf } from './early-access.js';
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
  return json(
    200,
    paginate(ctx, flags, (f) => presentFlag(f, ctx.data)),
  );
}

function create(ctx: ProjectContext) {
  const body = bodyObject(ctx);
  const key = validateKey(ctx.data, requiredString(body, 'key'), null);
  const filters = body.filters === undefined ? undefined : validateFilters(optionalObject(body, 'filters') ?? {});
  const flag = newFlag(
    ctx.state.nextId('flag'),
    { now: isoTime(ctx.now), user: ctx.account.user },
    {
      key,
      name: optionalString(body, 'name', { allowBlank: true, allowNull: true }) ?? '',
      active: optionalBool(body, 'active') ?? true,
      ...(filters && { filters }),
      tags: optionalStringList(body, 'tags') ?? [],
      ensure_experience_continuity: optionalBool(body, 'ensure_experience_continuity') ?? false,
    },
  );
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
  landColleagueEdit(ctx, flag);
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
  // FeatureFlagSerializer.update is wrapped in @approval_gate: a gated change stops here (see approvals.ts).
  gateFlagWrite(ctx, flag, body);
  refuseLinkedChanges(ctx.data, flag, { active, deleted });
  refuseStaleEdit(flag, body, { key, name, active, deleted, tags, ensure_experience_continuity: continuity, filters });

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

/**
 * The refusals of posthog/api/feature_flag.py `FeatureFlagSerializer.update()` (400, detail only): deleting a flag in use
 * with early access features or linked to a running experiment or depended on by other active flags; disabling a flag other active flags depend on
 * (`raise_if_flag_has_dependents`); enabling one that depends on disabled flags (`_find_disabled_dependencies`).
 */
function refuseLinkedChanges(
  data: ProjectData,
  flag: FeatureFlag,
  change: { active: boolean | undefined; deleted: boolean | undefined },
): void {
  if (change.deleted === true) {
    if (earlyAccessFeaturesOf(data, flag.id).length > 0) {
      invalid(
        null,
        'Cannot delete a feature flag that is in use with early access features. Please delete the early access feature before deleting the flag.',
      );
    }
    const running = data.experiments.filter(
      (e) => e.feature_flag === flag.id && !e.deleted && e.start_date !== null && e.end_date === null,
    );
    if (running.length > 0) {
      const names = running.map((e) => `"${e.name}" (ID: ${e.id})`).join(', ');
      invalid(
        null,
        `Cannot delete a feature flag that is linked to running experiment(s): ${names}. Please stop the experiment(s) before deleting the flag.`,
      );
    }
    refuseIfDependents(data, flag, 'delete');
  }
  if (change.active === false && flag.active) refuseIfDependents(data, flag, 'disable');
  if (change.active === true && !flag.active) {
    const disabled = dependencyIds(flag)
      .map((id) => live(data.feature_flags).find((f) => f.id === id && !f.active))
      .filter((f): f is FeatureFlag => f !== undefined)
      .sort((a, b) => a.key.localeCompare(b.key));
    if (disabled.length > 0) {
      const names = disabled.slice(0, 5).map((f) => `${f.key} (ID: ${f.id})`);
      if (disabled.length > 5) names.push(`and ${disabled.length - 5} more`);
      invalid(
        null,
        `Cannot enable this feature flag because it depends on disabled flags: ${names.join(', ')}. Please enable the dependency flags first.`,
      );
    }
  }
}

/** Flag ids a flag's conditions depend on: properties of `type: "flag"` whose `key` is the other flag's id. */
function dependencyIds(flag: FeatureFlag): number[] {
  const groups = (flag.filters.groups as Array<{ properties?: Array<{ type?: unknown; key?: unknown }> }> | undefined) ?? [];
  return groups.flatMap((g) => (g.properties ?? []).filter((p) => p.type === 'flag').map((p) => Number(p.key)));
}

function refuseIfDependents(data: ProjectData, flag: FeatureFlag, action: 'disable' | 'delete'): void {
  const dependents = live(data.feature_flags)
    .filter((f) => f.active && f.id !== flag.id && dependencyIds(f).includes(flag.id))
    .sort((a, b) => a.key.localeCompare(b.key));
  if (dependents.length === 0) return;
  let names = dependents
    .slice(0, 5)
    .map((f) => `${f.key} (ID: ${f.id})`)
    .join(', ');
  if (dependents.length > 5) names += `, and ${dependents.length - 5} more`;
  invalid(
    null,
    `Cannot ${action} this feature flag because other flags depend on it: ${names}. Please update or disable the dependent flags first.`,
  );
}

/**
 * posthog/api/feature_flag.py `update()` + `_get_conflicting_changes()`: only a request carrying `version` (the one the
 * client read) and `original_flag` (the flag as read) can be refused. When the version moved on, a field the client
 * changes (differs from original_flag) that someone else also changed (original differs from now), to another value
 * than the client's, is a conflict: 409 `Conflict` "The feature flag was updated by <email> since you started editing it.
 * Please refresh and try again." Without them the write simply wins.
 */
function refuseStaleEdit(flag: FeatureFlag, body: Record<string, unknown>, changes: Record<string, unknown>): void {
  const version = typeof body.version === 'number' ? body.version : -1;
  if (version === -1 || version === flag.version) return;
  const original = body.original_flag;
  if (typeof original !== 'object' || original === null || Array.isArray(original) || Object.keys(original).length === 0) return;
  const before = original as Record<string, unknown>;
  const current = flag as unknown as Record<string, unknown>;
  const conflicts = Object.entries(changes).filter(
    ([field, value]) =>
      value !== undefined &&
      field in before &&
      !isDeepStrictEqual(value, before[field]) &&
      !isDeepStrictEqual(before[field], current[field]) &&
      !isDeepStrictEqual(value, current[field]),
  );
  if (conflicts.length === 0) return;
  const by = (flag.last_modified_by as { email?: string } | null | undefined)?.email ?? 'another user';
  throw new ReplyError(
    json(409, {
      type: 'invalid_request',
      code: 'conflict',
      detail: `The feature flag was updated by ${by} since you started editing it. Please refresh and try again.`,
      attr: null,
    }),
  );
}

/**
 * A colleague's edit made in PostHog's UI, queued by the control API (`/_emulator/projects/:id/feature_flags/:flagId/
 * colleague-edit`) to land just before the next write of that flag is handled: exactly "edited between the client's read
 * and its write", with no timing. Saved as PostHog saves any write (version bump, last_modified_by the colleague).
 */
export interface ColleagueEdit {
  filters?: Record<string, unknown>;
  name?: string;
  active?: boolean;
  /** The colleague's email (PostHog's 409 names them). */
  by: string;
}

// Keyed by the project's data: a reset replaces it, so queued edits go with the seed.
const colleagueEdits = new WeakMap<ProjectData, Map<number, ColleagueEdit>>();

export function queueColleagueEdit(data: ProjectData, flagId: number, edit: ColleagueEdit): boolean {
  if (!data.feature_flags.some((f) => f.id === flagId)) return false;
  const queued = colleagueEdits.get(data) ?? new Map<number, ColleagueEdit>();
  queued.set(flagId, edit);
  colleagueEdits.set(data, queued);
  return true;
}

function landColleagueEdit(ctx: ProjectContext, flag: FeatureFlag): void {
  const edit = colleagueEdits.get(ctx.data)?.get(flag.id);
  if (!edit) return;
  colleagueEdits.get(ctx.data)?.delete(flag.id);
  if (edit.filters !== undefined) flag.filters = normalizeFlagFilters(edit.filters);
  if (edit.name !== undefined) flag.name = edit.name;
  if (edit.active !== undefined) flag.active = edit.active;
  touchFlag(flag, ctx);
  flag.last_modified_by = { ...userBasic(ctx.account.user), email: edit.by };
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
    if (typeof group !== 'object' || group === null || Array.isArray(group))
      invalid('filters', 'Filters are not valid (each group must be an object).');
    const g = group as Record<string, unknown>;
    const rollout = g.rollout_percentage;
    if (rollout !== undefined && rollout !== null && (typeof rollout !== 'number' || rollout < 0 || rollout > 100)) {
      invalid('filters', 'Rollout percentage must be a number between 0 and 100.');
    }
    if (g.properties !== undefined && !Array.isArray(g.properties))
      invalid('filters', 'Filters are not valid (properties must be a list).');
    if (g.variant != null && !variants.includes(String(g.variant))) {
      invalid('filters', `Filters are not valid (variant override "${String(g.variant)}" does not exist on flag)`);
    }
  }
  return normalizeFlagFilters(filters);
}

function variantKeys(multivariate: unknown): string[] {
  if (multivariate == null) return [];
  const variants = (multivariate as { variants?: unknown }).variants;
  if (typeof multivariate !== 'object' || !Array.isArray(variants))
    invalid('filters', 'Invalid variant definitions: variants must be a list.');
  let sum = 0;
  const keys: string[] = [];
  for (const v of variants as Record<string, unknown>[]) {
    if (typeof v?.key !== 'string' || v.key === '') invalid('filters', 'Invalid variant definitions: every variant needs a key.');
    if (typeof v.rollout_percentage !== 'number')
      invalid('filters', 'Invalid variant definitions: every variant needs a rollout_percentage.');
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
