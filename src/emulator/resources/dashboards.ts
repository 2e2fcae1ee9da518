/** Dashboards and insights (an insight lists the dashboards it sits on; a dashboard's tiles are derived from that). */
import { newDashboard, newInsight, userBasic } from '../factories.js';
import { isoTime } from '../http.js';
import type { ProjectData, Stored } from '../model.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { boolParam, live } from './context.js';
import { byNewest, registerCrud } from './crud.js';
import { checkTrendsQuery, computeTrends } from './trends.js';
import { invalid, optionalBool, optionalList, optionalObject, optionalString, optionalStringList } from './validate.js';

export function registerDashboards(routes: ApiRoutes): void {
  registerCrud(routes, {
    path: '/dashboards',
    collection: (d) => d.dashboards,
    softDelete: true,
    // PostHog's DashboardsViewSet has no search filter (only tags, exclude_generated): `?search=` is ignored.
    // posthog/api/dashboards/dashboard.py, DashboardsViewSet.safely_get_queryset
    searchFields: [],
    filter: (ctx, d) => {
      const pinned = boolParam(ctx.query, 'pinned');
      return pinned === undefined || d.pinned === pinned;
    },
    // PostHog lists pinned dashboards first, then by name.
    order: (a, b) => Number(b.pinned === true) - Number(a.pinned === true) || String(a.name).localeCompare(String(b.name)),
    presentListItem: (_ctx, d) => d,
    present: (ctx, d) => ({ ...d, tiles: tilesOf(ctx.data, d) }),
    create: (ctx, body) =>
      newDashboard(
        ctx.state.nextId('dashboard'),
        { now: isoTime(ctx.now), user: ctx.account.user },
        {
          name: optionalString(body, 'name', { allowBlank: true, allowNull: true }) ?? 'New Dashboard',
          description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
          pinned: optionalBool(body, 'pinned') ?? false,
          tags: optionalStringList(body, 'tags') ?? [],
        },
      ),
    update: (_ctx, d, body) => {
      const name = optionalString(body, 'name', { allowBlank: true, allowNull: true });
      const description = optionalString(body, 'description', { allowBlank: true, allowNull: true });
      const pinned = optionalBool(body, 'pinned');
      const tags = optionalStringList(body, 'tags');
      const filters = optionalObject(body, 'filters');
      if (name !== undefined) d.name = name;
      if (description !== undefined) d.description = description ?? '';
      if (pinned !== undefined) d.pinned = pinned;
      if (tags !== undefined) d.tags = tags;
      if (filters !== undefined) d.filters = filters;
    },
  });

  registerCrud(routes, {
    path: '/insights',
    collection: (d) => d.insights,
    softDelete: true,
    searchFields: ['name', 'derived_name', 'description'],
    filter: (ctx, i) => {
      const shortId = ctx.query.get('short_id');
      const favorited = boolParam(ctx.query, 'favorited');
      const saved = boolParam(ctx.query, 'saved');
      return (
        (shortId === null || i.short_id === shortId) &&
        (favorited === undefined || i.favorited === favorited) &&
        (saved === undefined || i.saved === saved)
      );
    },
    order: (a, b) => String(b.last_modified_at).localeCompare(String(a.last_modified_at)) || byNewest(a, b),
    present: (ctx, i) => presentInsight(ctx.data, refreshed(ctx, i)),
    presentListItem: (ctx, i) => presentInsight(ctx.data, i),
    create: (ctx, body) => {
      const query = validQuery(body);
      return newInsight(
        ctx.state.nextId('insight'),
        ctx.state.rng.alnum(8),
        { now: isoTime(ctx.now), user: ctx.account.user },
        {
          name: optionalString(body, 'name', { allowBlank: true, allowNull: true }) ?? '',
          description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
          query: query ?? null,
          dashboards: validDashboards(ctx.data, body) ?? [],
          tags: optionalStringList(body, 'tags') ?? [],
          favorited: optionalBool(body, 'favorited') ?? false,
        },
      );
    },
    update: (ctx, i, body) => {
      const name = optionalString(body, 'name', { allowBlank: true, allowNull: true });
      const description = optionalString(body, 'description', { allowBlank: true, allowNull: true });
      const query = validQuery(body);
      const dashboards = validDashboards(ctx.data, body);
      const tags = optionalStringList(body, 'tags');
      const favorited = optionalBool(body, 'favorited');
      if (name !== undefined) i.name = name;
      if (description !== undefined) i.description = description ?? '';
      if (query !== undefined) {
        i.query = query;
        i.result = null;
        i.last_refresh = null;
      }
      if (dashboards !== undefined) i.dashboards = dashboards;
      if (tags !== undefined) i.tags = tags;
      if (favorited !== undefined) i.favorited = favorited;
      touch(ctx, i);
    },
  });
}

/** `refresh` values that make PostHog compute now rather than answer from its cache (`force_cache`, the default). */
const COMPUTE = new Set(['true', '1', 'blocking', 'force_blocking', 'async', 'force_async', 'lazy_async', 'async_except_on_cache_miss']);

/**
 * With `?refresh=blocking` (or `true`), a trends insight's `result` is computed from the dataset and cached on the
 * insight, like PostHog's cache; without it the cached result (null until computed) is returned.
 */
function refreshed(ctx: ProjectContext, insight: Stored): Stored {
  const refresh = ctx.query.get('refresh')?.toLowerCase();
  const source = (insight.query as { source?: Record<string, unknown> } | null)?.source;
  if (!refresh || !COMPUTE.has(refresh) || source?.kind !== 'TrendsQuery') return insight;
  insight.result = computeTrends(source, ctx.data.dataset(), { now: ctx.now, timezone: ctx.data.project.timezone });
  insight.last_refresh = isoTime(ctx.now);
  insight.is_cached = false;
  return insight;
}

function touch(ctx: ProjectContext, insight: Stored): void {
  insight.last_modified_at = isoTime(ctx.now);
  insight.updated_at = insight.last_modified_at;
  insight.last_modified_by = userBasic(ctx.account.user);
}

function validQuery(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const query = optionalObject(body, 'query');
  if (query !== undefined && typeof query.kind !== 'string') invalid('query', 'Query must have a "kind".');
  const source = (query as { source?: Record<string, unknown> } | undefined)?.source;
  if (source?.kind === 'TrendsQuery') checkTrendsQuery(source);
  return query;
}

function validDashboards(data: ProjectData, body: Record<string, unknown>): number[] | undefined {
  const ids = optionalList(body, 'dashboards');
  if (ids === undefined) return undefined;
  for (const id of ids) {
    if (!live(data.dashboards).some((d) => d.id === id))
      invalid('dashboards', `Invalid pk "${String(id)}" - object does not exist.`, 'does_not_exist');
  }
  return ids as number[];
}

export function presentInsight(data: ProjectData, insight: Stored): Record<string, unknown> {
  const dashboards = (insight.dashboards as number[]).filter((id) => live(data.dashboards).some((d) => d.id === id));
  return {
    ...insight,
    dashboards,
    dashboard_tiles: dashboards.map((id) => ({ id: tileId(id, insight.id as number), dashboard_id: id, deleted: null })),
  };
}

function tilesOf(data: ProjectData, dashboard: Stored): Record<string, unknown>[] {
  return live(data.insights)
    .filter((i) => (i.dashboards as number[]).includes(dashboard.id as number))
    .map((i, index) => ({
      id: tileId(dashboard.id as number, i.id as number),
      insight: presentInsight(data, i),
      text: null,
      layouts: { sm: { i: String(i.id), x: (index % 2) * 6, y: Math.floor(index / 2) * 5, w: 6, h: 5 } },
      color: null,
      deleted: null,
      is_cached: false,
    }));
}

/** Stable, unique per (dashboard, insight) without storing tiles. */
function tileId(dashboardId: number, insightId: number): number {
  return (dashboardId % 10_000) * 100_000 + (insightId % 100_000);
}
