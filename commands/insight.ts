import { z } from 'zod';
import { escapeMrkdwn } from '../views/blocks.js';
import { kindLabel } from '../views/dashboards.js';
import { formOpenedMessage } from '../views/form.js';
import { INSIGHT_CREATE_MODAL, type InsightCard, type InsightRow, insightCreateModal, insightCreatedMessage, insightMessage, insightsMessage } from '../views/insights.js';
import { CommandError } from '../src/errors.js';
import { chartTrends } from '../src/insights/chart.js';
import { trendsDefinition, trendsQuerySchema, trendSummaries, type TrendsSource, validateInsightForm } from '../src/insights/trends.js';
import { currentProject, planTarget } from '../src/lookups/named.js';
import { orNullOn404 } from '../src/posthog/errors.js';
import { listResource, offsetArg, type ProjectSelector, showResource } from '../src/lookups/resource.js';
import { dashboardSchema, eventDefinitionSchema, type Insight, insightSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { proposePlan } from '../src/plans/propose.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineModal, encodeOrigin } from '../src/registry/interaction.js';

const PAGE_SIZE = 10;
/** Insights a user saved: PostHog also lists unsaved ones made while exploring. */
const SAVED = { saved: true };
/** PostHog's short ids are 8 letters and digits; accept a little either side. */
const SHORT_ID = /^[A-Za-z0-9]{6,12}$/;

const insightsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/insights/`;
const insightPath = (pid: ProjectSelector, id: number) => path`/api/projects/${pid}/insights/${id}/`;

const nameOf = (i: Insight) => i.name || i.derived_name || '';
const kindOf = (i: Insight) => kindLabel(i.query?.source?.kind ?? i.query?.kind);

const row = (i: Insight): InsightRow => ({
  id: i.id,
  shortId: i.short_id,
  name: nameOf(i),
  kind: kindOf(i),
  favorited: i.favorited ?? false,
  lastModifiedAt: i.last_modified_at ?? null,
});

const list = defineCommand({
  name: 'insights',
  aliases: ['insight list'],
  summary: 'Saved insights of the project, most recently changed first',
  usage: '[search]',
  examples: ['/ph insights', '/ph insights signups'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) =>
    insightsMessage(await listResource(ctx, { command: 'insights', path: insightsPath, schema: insightSchema, query: SAVED, row, limit: PAGE_SIZE, offset, search })),
});

const show = defineCommand({
  name: 'insight',
  aliases: ['insight show'],
  summary: 'One insight: a trend drawn as a chart, with its numbers and a link',
  usage: '<id|short_id|name>',
  examples: ['/ph insight baFRI9xp', '/ph insight 40001', '/ph insight Daily active users'],
  args: z.object({ insight: z.string().trim().min(1) }),
  rest: 'insight',
  mutates: false,
  role: 'reader',
  run: (ctx, { insight }) =>
    showResource(
      ctx,
      {
        input: insight,
        noun: 'insight',
        listCommand: 'insights',
        missing: 'with id, short id or name',
        path: insightsPath,
        schema: insightSchema,
        query: SAVED,
        byId: async ({ pid, posthog, get }) => {
          const byNumber = /^\d+$/.test(insight) ? await get(insightPath(pid, Number(insight))) : null;
          if (byNumber || !SHORT_ID.test(insight)) return byNumber;
          return (await posthog.listPage(insightsPath(pid), insightSchema, { limit: 1, query: { ...SAVED, short_id: insight } })).results[0] ?? null;
        },
        nameOf,
        pick: (i) => ({ title: nameOf(i) || 'Untitled insight', detail: `${escapeMrkdwn(kindOf(i))} · \`${escapeMrkdwn(i.short_id)}\``, command: `insight ${i.short_id}` }),
      },
      async (found, where) => {
        await ctx.progress({ text: `Computing “${nameOf(found) || found.short_id}”…` });
        const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
        // `refresh=blocking` makes PostHog compute a stale result now; its default answers from cache (often null).
        const fresh = await posthog.request('GET', insightPath(pid, found.id), insightSchema, { query: { refresh: 'blocking' } });
        return insightMessage({ insight: await insightCard(ctx, fresh), ...where });
      },
    ),
});

async function insightCard(ctx: CommandContext, insight: Insight): Promise<InsightCard> {
  const base = { ...row(insight), description: insight.description ?? '', lastRefresh: insight.last_refresh ?? null };
  const source = trendsQuerySchema.safeParse(insight.query?.source);
  if (!source.success) {
    return { ...base, definition: null, series: [], chart: { note: `${base.kind} insights are not drawn here yet: open it in PostHog.` } };
  }
  const series = trendSummaries(insight.result);
  const definition = trendsDefinition(source.data);
  if (series.length === 0) return { ...base, definition, series: [], chart: { note: 'PostHog returned no data for this insight’s date range.' } };
  const chart = await chartTrends(ctx, { name: base.name || base.shortId, shortId: base.shortId, source: source.data, series });
  return { ...base, definition, series: series.map((s) => ({ label: s.label, total: s.total, latest: s.latest })), chart };
}

const createPayload = z.object({
  projectId: z.number().int(),
  name: z.string().min(1).max(400),
  source: trendsQuerySchema,
  dashboard: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});
type CreatePayload = z.infer<typeof createPayload>;

const CREATE = 'insight create';

const create = defineCommand({
  name: CREATE,
  summary: 'Build a trends insight in a form (event, measure, interval, range, breakdown), optionally on a dashboard',
  args: z.object({}),
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx) => {
    if (!ctx.triggerId) throw new CommandError('`/ph insight create` opens a form, which needs a slash command or a button click.');
    const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
    // The trigger_id lasts 3 s: open first, then fill the dashboard choices in once PostHog answers.
    const opened = await ctx.slack.views.open({ trigger_id: ctx.triggerId, view: insightCreateModal({ privateMetadata, dashboards: 'loading' }) });
    const viewId = opened.view?.id;
    if (viewId) await fillDashboards(ctx, viewId, opened.view?.hash, privateMetadata);
    return formOpenedMessage('insight');
  },
  apply: async (ctx, payload: CreatePayload) => {
    const posthog = await ctx.posthog();
    const created = await posthog.request('POST', insightsPath(payload.projectId), insightSchema, {
      body: {
        name: payload.name,
        query: { kind: 'InsightVizNode', source: payload.source },
        saved: true,
        ...(payload.dashboard ? { dashboards: [payload.dashboard.id] } : {}),
      },
    });
    return insightCreatedMessage({ id: created.id, shortId: created.short_id, name: nameOf(created) || payload.name, dashboard: payload.dashboard, appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
  },
});

async function fillDashboards(ctx: CommandContext, viewId: string, hash: string | undefined, privateMetadata: string): Promise<void> {
  let dashboards: Array<{ value: string; label: string }> | 'unavailable';
  try {
    const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
    const { items } = await posthog.collect(path`/api/projects/${pid}/dashboards/`, dashboardSchema, { maxItems: 100 });
    dashboards = items.map((d) => ({ value: String(d.id), label: `${d.name || 'Untitled dashboard'} (${d.id})` }));
  } catch (error) {
    // The form still works without a dashboard; the submission will meet the same upstream problem and report it.
    ctx.logger.warn(`insight create: dashboards for the form could not be loaded: ${(error as Error).message}`);
    dashboards = 'unavailable';
  }
  try {
    await ctx.slack.views.update({ view_id: viewId, ...(hash ? { hash } : {}), view: insightCreateModal({ privateMetadata, dashboards }) });
  } catch (error) {
    // Closed or already submitted: nothing left to fill in.
    ctx.logger.warn(`insight create: the form could not be updated: ${(error as Error).message}`);
  }
}

async function planInsight(ctx: CommandContext, form: { name: string; source: TrendsSource; dashboardId: number | null }) {
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  const event = form.source.series[0]!.event;
  const [dashboard, definitions] = await Promise.all([
    form.dashboardId === null ? null : orNullOn404(() => posthog.request('GET', path`/api/projects/${project.id}/dashboards/${form.dashboardId!}/`, dashboardSchema)),
    posthog.listPage(path`/api/projects/${project.id}/event_definitions/`, eventDefinitionSchema, { limit: 20, query: { search: event } }),
  ]);
  if (form.dashboardId !== null && !dashboard) throw new CommandError(`Dashboard ${form.dashboardId} no longer exists. Nothing was created; open the form again.`);
  const seen = definitions.results.some((d) => d.name === event);
  const dashboardRef = dashboard ? { id: dashboard.id, name: dashboard.name || 'Untitled dashboard' } : null;
  return {
    title: `Create insight “${form.name}”`,
    target: await planTarget(ctx, project),
    changes: [
      { what: 'Insight', before: 'none', after: form.name },
      { what: 'Trend', before: '–', after: trendsDefinition(form.source) },
      ...(dashboardRef ? [{ what: 'Dashboard', before: '–', after: `${dashboardRef.name} (${dashboardRef.id})` }] : []),
    ],
    ...(seen ? {} : { warning: `PostHog has not seen an event named “${event}” in this project: the chart will be empty until it arrives.` }),
    payload: { projectId: project.id, name: form.name, source: form.source, dashboard: dashboardRef },
  };
}

export const interactions = [
  defineModal({
    callbackId: INSIGHT_CREATE_MODAL,
    role: create.role,
    validate: (values) => validateInsightForm(values),
    submit: async (ctx, form) => proposePlan(ctx, { name: CREATE }, await planInsight(ctx, form)),
  }),
];

export default [list, show, create];
