import { z } from 'zod';
import { escapeMrkdwn } from '../views/blocks.js';
import { kindLabel } from '../views/dashboards.js';
import { INSIGHT_CREATE_MODAL, type InsightCard, type InsightRow, insightMessage, insightsMessage } from '../views/insights.js';
import { CommandError } from '../src/errors.js';
import { chartTrends } from '../src/insights/chart.js';
import { applyInsight, createPayload, insightName, insightsPath, openInsightForm, planInsight } from '../src/insights/create.js';
import { trendsDefinition, trendsQuerySchema, trendSummaries, validateInsightForm } from '../src/insights/trends.js';
import { listResource, offsetArg, type ProjectSelector, showResource } from '../src/lookups/resource.js';
import { type Insight, insightSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { proposePlan } from '../src/plans/propose.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineModal } from '../src/registry/interaction.js';

const PAGE_SIZE = 10;
/** Insights a user saved: PostHog also lists unsaved ones made while exploring. */
const SAVED = { saved: true };
/** PostHog's short ids are 8 letters and digits; accept a little either side. */
const SHORT_ID = /^[A-Za-z0-9]{6,12}$/;

const insightPath = (pid: ProjectSelector, id: number) => path`/api/projects/${pid}/insights/${id}/`;

const nameOf = insightName;
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
    insightsMessage(
      await listResource(ctx, {
        command: 'insights',
        path: insightsPath,
        schema: insightSchema,
        query: SAVED,
        row,
        limit: PAGE_SIZE,
        offset,
        search,
      }),
    ),
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
          return (
            (await posthog.listPage(insightsPath(pid), insightSchema, { limit: 1, query: { ...SAVED, short_id: insight } })).results[0] ??
            null
          );
        },
        nameOf,
        pick: (i) => ({
          title: nameOf(i) || 'Untitled insight',
          detail: `${escapeMrkdwn(kindOf(i))} · \`${escapeMrkdwn(i.short_id)}\``,
          command: `insight ${i.short_id}`,
        }),
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
  if (series.length === 0)
    return { ...base, definition, series: [], chart: { note: 'PostHog returned no data for this insight’s date range.' } };
  const chart = await chartTrends(ctx, { name: base.name || base.shortId, shortId: base.shortId, source: source.data, series });
  return { ...base, definition, series: series.map((s) => ({ label: s.label, total: s.total, latest: s.latest })), chart };
}

const CREATE = 'insight create';

const create = defineCommand({
  name: CREATE,
  summary: 'Build a trends insight in a form (event, measure, interval, range, breakdown), optionally on a dashboard',
  args: z.object({}),
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: openInsightForm,
  apply: applyInsight,
});

export const interactions = [
  defineModal({
    callbackId: INSIGHT_CREATE_MODAL,
    role: create.role,
    validate: (values) => validateInsightForm(values),
    submit: async (ctx, form) => proposePlan(ctx, { name: CREATE }, await planInsight(ctx, form)),
  }),
];

export default [list, show, create];
