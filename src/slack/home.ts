/**
 * App Home: published on `app_home_opened`, and again after a Run now / Pause clicked in it. It reads the store first
 * (always there) and PostHog last, with a short deadline, so a slow or missing connection never blanks the tab.
 */
import { homeView, type HomeModel } from '../../views/home.js';
import { callerStanding, guestRefusal } from '../access.js';
import { isUpstreamError } from '../posthog/errors.js';
import { projectSchema } from '../posthog/schemas.js';
import { path } from '../posthog/path.js';
import { describeUpstreamError } from '../posthog/translate.js';
import type { Message } from '../../views/blocks.js';
import { isCommandError } from '../errors.js';
import type { CommandContext } from '../registry/command.js';
import type { ActionAnswer, ActionInput } from '../registry/interaction.js';
import { alertRow } from '../scheduler/alert.js';
import { digestRow } from '../scheduler/digest.js';
import { isNotConnected } from '../tenancy.js';

const PROJECT_DEADLINE_MS = 2_500;

export async function buildHomeModel(ctx: CommandContext, notice?: string): Promise<HomeModel> {
  // The tab lists digests, alerts and audited changes (PostHog names) and the project: a guest sees none of it unless
  // the workspace allows guests (src/access.ts).
  const standing = await callerStanding(ctx);
  const refusal = guestRefusal(standing.info, standing.guestsAllowed, 'Hogbot’s Home tab');
  if (refusal)
    return {
      appUrl: ctx.config.posthogAppUrl,
      connectionId: null,
      project: null,
      projectProblem: `:lock: ${refusal}`,
      role: 'reader',
      digests: [],
      alerts: [],
      audit: [],
      ...(notice ? { notice } : {}),
    };
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
    ...(notice ? { notice } : {}),
  };
  // The project comes through the connection every command uses (src/tenancy.ts); none at all is said on the tab.
  try {
    const posthog = await ctx.posthog();
    const project = await posthog.request('GET', path`/api/projects/${workspace.projectId ?? '@current'}/`, projectSchema, {
      timeoutMs: PROJECT_DEADLINE_MS,
    });
    model.project = { id: project.id, name: project.name, chosen: workspace.projectId !== null };
  } catch (error) {
    if (isNotConnected(error)) {
      model.notConnected = true;
      model.projectProblem = '_none: connect PostHog first_';
    } else if (!isUpstreamError(error)) throw error;
    else model.projectProblem = `:warning: ${describeUpstreamError(error)}`;
  }
  return model;
}

/** Publishes the viewer's Home tab (Slack keeps it until the next publish, so this is also the refresh). */
export async function publishHome(ctx: CommandContext, notice?: string): Promise<void> {
  await ctx.slack.views.publish({ user_id: ctx.userId, view: homeView(await buildHomeModel(ctx, notice)) });
}

/**
 * After a click in App Home, which has no response_url to answer on: the tab is published again with the new state and
 * `notice` (what happened, or why nothing did) at its top. A failure to refresh is logged; the click's work is done.
 */
export async function publishHomeIfOpen(ctx: CommandContext, notice?: string): Promise<void> {
  try {
    await publishHome(ctx, notice);
  } catch (error) {
    ctx.logger.warn('App Home: could not refresh after a click', error);
  }
}

/**
 * Runs a button's work and answers where the button was: under a message, as a reply; in App Home (no message), by
 * publishing the tab again with the answer, or the user's mistake, as its notice.
 */
export async function homeAware(
  ctx: CommandContext,
  input: Pick<ActionInput, 'messageTs'>,
  work: () => Promise<Message>,
): Promise<ActionAnswer | null> {
  if (input.messageTs !== null) return { message: await work(), replace: false };
  let notice: string;
  try {
    notice = (await work()).text;
  } catch (error) {
    if (!isCommandError(error)) throw error;
    notice = `:warning: ${error.message}`;
  }
  await publishHomeIfOpen(ctx, notice);
  return null;
}
