import { z } from 'zod';
import { escapeMrkdwn } from '../views/blocks.js';
import { type DashboardCard, type DashboardRow, dashboardMessage, dashboardSavedMessage, dashboardsMessage, kindLabel } from '../views/dashboards.js';
import { CommandError } from '../src/errors.js';
import { currentProject, linkProjectId, planTarget, quoteArg } from '../src/lookups/named.js';
import { findResource, LOCAL_SEARCH_CAP, listResource, offsetArg, type ProjectSelector, type Resolved, withCapNotice } from '../src/lookups/resource.js';
import { type Dashboard, dashboardSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';

const PAGE_SIZE = 10;
const dashboardName = z.string().trim().min(1, 'needs a name').max(400, 'is longer than 400 characters');

const row = (d: Dashboard): DashboardRow => ({ id: d.id, name: d.name ?? '', description: d.description ?? '', pinned: d.pinned ?? false, tags: d.tags ?? [] });

function card(d: Dashboard): DashboardCard {
  const tiles = (d.tiles ?? [])
    .filter((t) => t.deleted !== true && (t.insight || t.text))
    .map((t) => ({
      insight: t.insight
        ? { id: t.insight.id, shortId: t.insight.short_id, name: t.insight.name || t.insight.derived_name || 'Untitled insight', kind: kindLabel(t.insight.query?.source?.kind ?? t.insight.query?.kind) }
        : null,
      text: t.text?.body ?? null,
    }));
  return { ...row(d), createdAt: d.created_at ?? null, createdBy: d.created_by?.first_name || d.created_by?.email || null, tiles };
}

const dashboardsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/dashboards/`;
const dashboardPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/dashboards/${id}/`;

/** A dashboard by id or name, with its tiles; a pick list when several names match. */
async function resolveDashboard(ctx: CommandContext, input: string, pickCommand: (id: number) => string): Promise<Resolved<Dashboard>> {
  const isNumber = /^\d+$/.test(input);
  const found = await findResource(ctx, {
    input,
    noun: 'dashboard',
    listCommand: 'dashboards',
    missing: isNumber ? 'with id or name' : 'named',
    path: dashboardsPath,
    schema: dashboardSchema,
    // PostHog's dashboard list takes no `search` (posthog/api/dashboards/dashboard.py): match names here.
    serverSearch: false,
    byId: ({ pid, get }) => (isNumber ? get(dashboardPath(pid, input)) : null),
    nameOf: (d) => d.name ?? '',
    pick: (d) => ({ title: d.name || 'Untitled dashboard', detail: `\`${d.id}\`${d.pinned ? ' :pushpin:' : ''}`, command: pickCommand(d.id) }),
  });
  if (found.kind === 'pick' || found.item.tiles) return found;
  // A name search may answer without tiles: fetch the dashboard itself.
  const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
  return { kind: 'one', item: await posthog.request('GET', dashboardPath(pid, found.item.id), dashboardSchema) };
}

const list = defineCommand({
  name: 'dashboards',
  aliases: ['dashboard list'],
  summary: 'Dashboards of the project, pinned first',
  usage: '[search]',
  examples: ['/ph dashboards', '/ph dashboards growth'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) => {
    // PostHog ignores `search` on dashboards (filters: tags, exclude_generated only): Hogbot searches them itself.
    const model = await listResource(ctx, { command: 'dashboards', path: dashboardsPath, schema: dashboardSchema, row, limit: PAGE_SIZE, offset, search, localSearch: (d) => [d.name, d.description, ...(d.tags ?? [])] });
    return withCapNotice(dashboardsMessage(model), model.capped, 'dashboard');
  },
});

const show = defineCommand({
  name: 'dashboard',
  aliases: ['dashboard show'],
  summary: 'One dashboard: its tiles, with links to each insight',
  usage: '<id|name>',
  examples: ['/ph dashboard 30001', '/ph dashboard Growth'],
  args: z.object({ dashboard: z.string().trim().min(1) }),
  rest: 'dashboard',
  mutates: false,
  role: 'reader',
  run: async (ctx, { dashboard }) => {
    const [resolved, projectId] = await Promise.all([resolveDashboard(ctx, dashboard, (id) => `dashboard ${id}`), linkProjectId(ctx)]);
    if (resolved.kind === 'pick') return resolved.message;
    return dashboardMessage({ dashboard: card(resolved.item), appUrl: ctx.config.posthogAppUrl, projectId });
  },
});

const createPayload = z.object({ projectId: z.number().int(), name: dashboardName, description: z.string().max(2000) });

const create = defineCommand({
  name: 'dashboard create',
  summary: 'Create an empty dashboard',
  usage: '"name" [--description "..."]',
  examples: ['/ph dashboard create "Launch week" --description "Signups and errors during the launch"'],
  args: z.object({ name: dashboardName, description: z.string().max(2000, 'is longer than 2000 characters').optional() }),
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx, { name, description }) => {
    const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
    // No server-side search on dashboards: look through the list (up to the cap) for the same name.
    const same = (await posthog.collect(dashboardsPath(project.id), dashboardSchema, { maxItems: LOCAL_SEARCH_CAP })).items.filter(
      (d) => (d.name ?? '').toLowerCase() === name.toLowerCase(),
    );
    return {
      title: `Create dashboard “${name}”`,
      target: await planTarget(ctx, project),
      changes: [
        { what: 'Dashboard', before: 'none', after: name },
        ...(description ? [{ what: 'Description', before: 'none', after: description }] : []),
      ],
      ...(same.length > 0 ? { warning: `A dashboard with this name already exists (id ${same.map((d) => d.id).join(', ')}). PostHog allows duplicates.` } : {}),
      payload: { projectId: project.id, name, description: description ?? '' },
    };
  },
  apply: async (ctx, payload) => {
    const posthog = await ctx.posthog();
    const created = await posthog.request('POST', dashboardsPath(payload.projectId), dashboardSchema, { body: { name: payload.name, description: payload.description } });
    return dashboardSavedMessage({ id: created.id, name: created.name ?? payload.name, verb: 'created', appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
  },
});

const renamePayload = z.object({ projectId: z.number().int(), id: z.number().int(), before: z.string(), name: dashboardName });

const rename = defineCommand({
  name: 'dashboard rename',
  summary: 'Rename a dashboard',
  usage: '<id|name> "new name"',
  examples: ['/ph dashboard rename 30001 "Product health"'],
  args: z.object({ dashboard: z.string().trim().min(1), name: dashboardName }),
  positional: ['dashboard'],
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: renamePayload,
  plan: async (ctx, { dashboard, name }) => {
    const [found, project] = await Promise.all([resolveDashboard(ctx, dashboard, (id) => `dashboard rename ${id} ${quoteArg(name)}`), currentProject(ctx)]);
    if (found.kind === 'pick') return found.message;
    const resolved = found.item;
    const before = resolved.name ?? '';
    if (before === name) return { text: `Dashboard ${resolved.id} is already named “${escapeMrkdwn(name)}”. Nothing to change.` };
    return {
      title: `Rename dashboard ${resolved.id}`,
      target: [...(await planTarget(ctx, project)), { label: 'Dashboard', value: `${before || 'Untitled'} (${resolved.id})` }],
      changes: [{ what: 'Name', before: before || '(empty)', after: name }],
      payload: { projectId: project.id, id: resolved.id, before, name },
    };
  },
  apply: async (ctx, payload) => {
    const posthog = await ctx.posthog();
    const now = await posthog.request('GET', dashboardPath(payload.projectId, payload.id), dashboardSchema);
    if ((now.name ?? '') !== payload.before) {
      throw new CommandError(`Dashboard ${payload.id} was renamed to “${escapeMrkdwn(now.name ?? '')}” in PostHog after this plan was made. Nothing was changed; run the command again.`);
    }
    const saved = await posthog.request('PATCH', dashboardPath(payload.projectId, payload.id), dashboardSchema, { body: { name: payload.name } });
    return dashboardSavedMessage({ id: saved.id, name: saved.name ?? payload.name, before: payload.before, verb: 'renamed', appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
  },
});

export default [list, show, create, rename];
