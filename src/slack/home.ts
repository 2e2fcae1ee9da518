/**
 * App Home: published on `app_home_opened`, and again after a Run now / Pause clicked in it. It reads the store first
 * (always there) and PostHog last, with a short deadline, so a slow or missing connection never blanks the tab.
 */
import { homeView, type HomeModel } from '../../views/home.js';
import { isUpstreamError } from '../posthog/errors.js';
import { projectSchema } from '../posthog/schemas.js';
import { path } from '../posthog/path.js';
import { describeUpstreamError } from '../posthog/translate.js';
import type { CommandContext } from '../registry/command.js';
import { alertRow } from '../scheduler/alert.js';
import { digestRow } from '../scheduler/digest.js';

const PROJECT_DEADLINE_MS = 2_500;

export async function buildHomeModel(ctx: CommandContext): Promise<HomeModel> {
  const [workspace, role, schedules, audit] = await Promise.all([
    ctx.workspace(),
    ctx.role().catch(() => 'reader' as const),
    ctx.store.schedules.listSchedules(ctx.teamId),
    ctx.store.listAudit(ctx.teamId, { limit: 10 }),
  ]);
  const model: HomeModel = {
    appUrl: ctx.config.posthogAppUrl,
    connectionId: workspace.connectionId,
    project: null,
    projectProblem: null,
    role,
    digests: schedules.filter((s) => s.kind === 'digest').map(digestRow),
    alerts: schedules.filter((s) => s.kind === 'alert').map(alertRow),
    audit: audit.map((a) => ({ at: a.at, userId: a.userId, title: a.title, outcome: a.outcome })),
  };
  // Without a chosen connection there is nothing of this workspace's to show from PostHog yet.
  if (workspace.connectionId === null) return model;
  try {
    const posthog = await ctx.posthog();
    const project = await posthog.request('GET', path`/api/projects/${workspace.projectId ?? '@current'}/`, projectSchema, { timeoutMs: PROJECT_DEADLINE_MS });
    model.project = { id: project.id, name: project.name, chosen: workspace.projectId !== null };
  } catch (error) {
    if (!isUpstreamError(error)) throw error;
    model.projectProblem = `:warning: ${describeUpstreamError(error)}`;
  }
  return model;
}

/** Publishes the viewer's Home tab (Slack keeps it until the next publish, so this is also the refresh). */
export async function publishHome(ctx: CommandContext): Promise<void> {
  await ctx.slack.views.publish({ user_id: ctx.userId, view: homeView(await buildHomeModel(ctx)) });
}

/** After a click in App Home: show the new state; a failure to refresh is logged, the click's own work is done. */
export async function publishHomeIfOpen(ctx: CommandContext): Promise<void> {
  try {
    await publishHome(ctx);
  } catch (error) {
    ctx.logger.warn('App Home: could not refresh after a click', error);
  }
}
