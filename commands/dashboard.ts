import { z } from 'zod';
import { escapeMrkdwn, type Message } from '../views/blocks.js';
import { type DashboardCard, type DashboardRow, dashboardMessage, dashboardSavedMessage, dashboardsMessage, kindLabel } from '../views/dashboards.js';
import { pickListMessage } from '../views/pick-list.js';
import { CommandError } from '../src/errors.js';
import { currentProject, findByIdOrName, linkProjectId, missHint, orNullOn404, planTarget, quoteArg } from '../src/lookups/named.js';
import { type Dashboard, dashboardSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';

const PAGE_SIZE = 10;
const offset = z.coerce.number().int().min(0).optional();
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

const dashboardsPath = (pid: number | '@current') => path`/api/projects/${pid}/dashboards/`;
const dashboardPath = (pid: number | '@current', id: number | string) => path`/api/projects/${pid}/dashboards/${id}/`;

/** A dashboard by id or name, with its tiles; a pick list when several names match. */
async function resolveDashboard(ctx: CommandContext, input: string, pickCommand: (id: number) => string): Promise<Dashboard | Message> {
  const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
  const get = (id: number | string) => posthog.request('GET', dashboardPath(pid, id), dashboardSchema);
  const found = await findByIdOrName({
    input,
    byId: /^\d+$/.test(input) ? () => orNullOn404(() => get(input)) : undefined,
    search: async () => (await posthog.listPage(dashboardsPath(pid), dashboardSchema, { limit: 50, query: { search: input } })).results,
    names: async () => (await posthog.collect(dashboardsPath(pid), dashboardSchema, { maxItems: 200 })).items.map((d) => d.name ?? ''),
    nameOf: (d) => d.name ?? '',
  });
  if (found.kind === 'many') {
    return pickListMessage({
      noun: 'dashboard',
      query: input,
      options: found.items.map((d) => ({ title: d.name || 'Untitled dashboard', detail: `\`${d.id}\`${d.pinned ? ' :pushpin:' : ''}`, command: pickCommand(d.id) })),
    });
  }
  if (found.kind === 'none') {
    const what = /^\d+$/.test(input) ? `with id or name “${escapeMrkdwn(input)}”` : `named “${escapeMrkdwn(input)}”`;
    throw new CommandError(`No dashboard ${what} in this project.${missHint(found.suggestions, 'dashboards')}`);
  }
  return found.item.tiles ? found.item : get(found.item.id);
}

const isMessage = (value: Dashboard | Message): value is Message => 'text' in value && !('id' in value);

const list = defineCommand({
  name: 'dashboards',
  aliases: ['dashboard list'],
  summary: 'Dashboards of the project, pinned first',
  usage: '[search]',
  examples: ['/ph dashboards', '/ph dashboards growth'],
  args: z.object({ search: z.string().optional(), offset }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset: start = 0 }) => {
    const [posthog, pid, linkPid] = await Promise.all([ctx.posthog(), ctx.projectId(), linkProjectId(ctx)]);
    const query = search ? { search } : {};
    const page = await posthog.listPage(dashboardsPath(pid), dashboardSchema, { limit: PAGE_SIZE, offset: start, query });
    return dashboardsMessage({
      rows: page.results.map(row),
      search: search ?? null,
      appUrl: ctx.config.posthogAppUrl,
      projectId: linkPid,
      page: { command: search ? `dashboards ${quoteArg(search)}` : 'dashboards', offset: start, shown: page.results.length, total: page.count, nextOffset: page.nextOffset },
    });
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
    const [resolved, linkPid] = await Promise.all([resolveDashboard(ctx, dashboard, (id) => `dashboard ${id}`), linkProjectId(ctx)]);
    if (isMessage(resolved)) return resolved;
    return dashboardMessage({ dashboard: card(resolved), appUrl: ctx.config.posthogAppUrl, projectId: linkPid });
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
    const same = (await posthog.listPage(dashboardsPath(project.id), dashboardSchema, { limit: 50, query: { search: name } })).results.filter(
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
    const [resolved, project] = await Promise.all([resolveDashboard(ctx, dashboard, (id) => `dashboard rename ${id} ${quoteArg(name)}`), currentProject(ctx)]);
    if (isMessage(resolved)) return resolved;
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
