/** Creating a trends insight: the form (its dashboard choices filled in after it opens), the plan and the POST. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { formOpenedMessage } from '../../views/form.js';
import { insightCreatedMessage, insightCreateModal } from '../../views/insights.js';
import { CommandError } from '../errors.js';
import { currentProject, planTarget } from '../lookups/named.js';
import type { ProjectSelector } from '../lookups/resource.js';
import { dashboardSchema, eventDefinitionSchema, type Insight, insightSchema } from '../posthog/content-schemas.js';
import { orNullOn404 } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { encodeOrigin } from '../registry/interaction.js';
import { trendsDefinition, trendsQuerySchema, type TrendsSource } from './trends.js';

export const insightsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/insights/`;
export const insightName = (i: Insight) => i.name || i.derived_name || '';

export const createPayload = z.object({
  projectId: z.number().int(),
  name: z.string().min(1).max(400),
  source: trendsQuerySchema,
  dashboard: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});
export type CreatePayload = z.infer<typeof createPayload>;

/** `/ph insight create` opens the form; its submission plans (planInsight). */
export async function openInsightForm(ctx: CommandContext): Promise<Message> {
  if (!ctx.triggerId) throw new CommandError('`/ph insight create` opens a form, which needs a slash command or a button click.');
  const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
  // The trigger_id lasts 3 s: open first, then fill the dashboard choices in once PostHog answers.
  const opened = await ctx.slack.views.open({
    trigger_id: ctx.triggerId,
    view: insightCreateModal({ privateMetadata, dashboards: 'loading' }),
  });
  const viewId = opened.view?.id;
  if (viewId) await fillDashboards(ctx, viewId, opened.view?.hash, privateMetadata);
  return formOpenedMessage('insight');
}

export async function applyInsight(ctx: CommandContext, payload: CreatePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const created = await posthog.request('POST', insightsPath(payload.projectId), insightSchema, {
    body: {
      name: payload.name,
      query: { kind: 'InsightVizNode', source: payload.source },
      saved: true,
      ...(payload.dashboard ? { dashboards: [payload.dashboard.id] } : {}),
    },
  });
  return insightCreatedMessage({
    id: created.id,
    shortId: created.short_id,
    name: insightName(created) || payload.name,
    dashboard: payload.dashboard,
    appUrl: ctx.config.posthogAppUrl,
    projectId: payload.projectId,
  });
}

async function fillDashboards(ctx: CommandContext, viewId: string, hash: string | undefined, privateMetadata: string): Promise<void> {
  let dashboards: Array<{ value: string; label: string }> | 'unavailable';
  try {
    const [posthog, pid] = await Promise.all([ctx.posthog(), ctx.projectId()]);
    const { items } = await posthog.collect(path`/api/projects/${pid}/dashboards/`, dashboardSchema, { maxItems: 100 });
    dashboards = items.map((d) => ({ value: String(d.id), label: `${d.name || 'Untitled dashboard'} (${d.id})` }));
  } catch (error) {
    // The form still works without a dashboard; the submission will meet the same upstream problem and report it.
    ctx.logger.warn(
      `insight create: dashboards for the form could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
    dashboards = 'unavailable';
  }
  try {
    await ctx.slack.views.update({ view_id: viewId, ...(hash ? { hash } : {}), view: insightCreateModal({ privateMetadata, dashboards }) });
  } catch (error) {
    // Closed or already submitted: nothing left to fill in.
    ctx.logger.warn(`insight create: the form could not be updated: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function planInsight(
  ctx: CommandContext,
  form: { name: string; source: TrendsSource; dashboardId: number | null },
): Promise<PlanDraft<CreatePayload>> {
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  const event = form.source.series[0]!.event;
  const [dashboard, definitions] = await Promise.all([
    form.dashboardId === null
      ? null
      : orNullOn404(() => posthog.request('GET', path`/api/projects/${project.id}/dashboards/${form.dashboardId!}/`, dashboardSchema)),
    posthog.listPage(path`/api/projects/${project.id}/event_definitions/`, eventDefinitionSchema, { limit: 20, query: { search: event } }),
  ]);
  if (form.dashboardId !== null && !dashboard)
    throw new CommandError(`Dashboard ${form.dashboardId} no longer exists. Nothing was created; open the form again.`);
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
    ...(seen
      ? {}
      : { warning: `PostHog has not seen an event named “${event}” in this project: the chart will be empty until it arrives.` }),
    payload: { projectId: project.id, name: form.name, source: form.source, dashboard: dashboardRef },
  };
}
