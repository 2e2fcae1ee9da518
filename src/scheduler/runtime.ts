/**
 * What a claimed run does: a digest gathers its items for the period and posts them (title first, then each item as
 * a table, a list or a chart image); an alert measures its number, moves its state, and posts only when the condition
 * starts or stops holding. Both act as the workspace (its connection and project) through a context built like a
 * command's, without a Slack request.
 */
import type { WebClient } from '@slack/web-api';
import { alertEventMessage, alertEventText } from '../../views/alert.js';
import { escapeMrkdwn } from '../../views/blocks.js';
import { chartComment, type DigestItemView, digestHeadMessage, digestItemMessage } from '../../views/digest.js';
import type { Limits } from '../limiter.js';
import { projectSchema } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';
import { buildContext, type Services } from '../slack/context.js';
import type { Claim, ScheduleRecord } from '../store/schedules.js';
import { alertChart, alertSpecSchema, describeCondition, formatValue, measure, nextAlertState, readAlertState } from './alert.js';
import { cadenceSchema, describeCadence, latestOccurrence, nextOccurrence, previousOccurrence } from './cadence.js';
import { type ChartRenderer, renderChartModel } from './charts.js';
import { digestSpecSchema, failureText, type GatheredItem, gatherItem, hogqlUrl, type Period, periodLabel } from './digest.js';
import { createPoster, isSlackPostError, type Poster } from './poster.js';
import { INVALID_PERIOD, type RunResult, type Runner } from './scheduler.js';
import { NoInstallationError, type SlackClientFor } from './slack-clients.js';
import { notConnectedReason } from '../tenancy.js';

export interface RuntimeOptions {
  services: Services;
  slackFor: SlackClientFor;
  limits: Pick<Limits, 'slackChannel'>;
  /** The scheduler's clock. Default `services.now`. */
  now?: () => Date;
  renderChart?: ChartRenderer;
  /** Items gathered at once per digest (PostHog allows 3 concurrent queries per project). Default 2. */
  gatherConcurrency?: number;
}

export interface RunOptions {
  late?: boolean;
  skipped?: number;
  /** Run now, by this user, outside the schedule. */
  manualBy?: string;
}

export interface Runtime {
  /** The scheduler's runner: one claimed (schedule, period). */
  run: Runner;
  deliverDigest(schedule: ScheduleRecord, occurrence: Date, opts?: RunOptions): Promise<RunResult>;
  checkAlert(schedule: ScheduleRecord, occurrence: Date, opts?: RunOptions): Promise<RunResult>;
}

export function createRuntime(opts: RuntimeOptions): Runtime {
  const now = opts.now ?? opts.services.now;
  const render = opts.renderChart ?? renderChartModel;
  const gatherConcurrency = Math.max(1, opts.gatherConcurrency ?? 2);

  async function contextFor(schedule: ScheduleRecord): Promise<{ ctx: CommandContext; slack: WebClient; poster: Poster }> {
    const slack = await opts.slackFor(schedule.teamId, schedule.enterpriseId);
    const caller = {
      teamId: schedule.teamId,
      enterpriseId: schedule.enterpriseId,
      userId: schedule.createdBy,
      channelId: schedule.channelId,
      triggerId: null,
      responseUrl: null,
    };
    const ctx = buildContext({ ...opts.services, now }, caller, slack);
    return { ctx, slack, poster: createPoster(slack, opts.limits) };
  }

  /** Delivers, and records the outcome on the digest (`digest show`, App Home) whether it went out or not. */
  async function deliverDigest(schedule: ScheduleRecord, occurrence: Date, o: RunOptions = {}): Promise<RunResult> {
    const result = await postDigest(schedule, occurrence, o);
    await opts.services.store.schedules.recordRun(schedule.id, now(), result.summary);
    return result;
  }

  async function postDigest(schedule: ScheduleRecord, occurrence: Date, o: RunOptions): Promise<RunResult> {
    const cadence = cadenceSchema.safeParse(schedule.cadence);
    const spec = digestSpecSchema.safeParse(schedule.spec);
    if (!cadence.success || !spec.success)
      return { ok: false, summary: 'failed: the digest’s stored settings are unreadable; delete and recreate it' };
    const { ctx, poster } = await contextFor(schedule);
    const notConnected = await notConnectedReason(ctx);
    if (notConnected) return { ok: false, summary: notConnected };
    const period = o.manualBy
      ? manualPeriod(cadence.data, occurrence)
      : { start: previousOccurrence(cadence.data, occurrence), end: occurrence, timezone: cadence.data.timezone };
    const channel = schedule.channelId;
    // Gather first, post after: the title and its items reach the channel together, not minutes apart.
    const gathered = await gatherAll(ctx, spec.data.items, period);
    try {
      await poster.post(
        channel,
        digestHeadMessage({
          digestId: schedule.id,
          title: schedule.title,
          periodLabel: periodLabel(period),
          schedule: describeCadence(cadence.data),
          late: o.late ?? false,
          skipped: o.skipped ?? 0,
          manualBy: o.manualBy ?? null,
          itemCount: spec.data.items.length,
        }),
      );
      let posted = 1;
      let failed = 0;
      for (const item of gathered) {
        const view = await postItem(poster, channel, item);
        posted += 1;
        if (view.kind === 'error') failed += 1;
      }
      return { ok: true, summary: `posted ${posted} messages${failed > 0 ? `, ${failed} ${failed === 1 ? 'item' : 'items'} failed` : ''}` };
    } catch (error) {
      if (isSlackPostError(error)) return { ok: false, summary: `failed: Slack answered ${error.code} in <#${channel}>` };
      throw error;
    }
  }

  async function gatherAll(
    ctx: CommandContext,
    items: ReturnType<typeof digestSpecSchema.parse>['items'],
    period: Period,
  ): Promise<GatheredItem[]> {
    let projectId: number;
    try {
      projectId = await realProjectId(ctx);
    } catch (error) {
      const message = failureText(ctx, 'digest project', error);
      return [{ view: { kind: 'error', title: 'PostHog project', link: null, message } }];
    }
    const g = { ctx, projectId, period, timeZone: period.timezone };
    const out: GatheredItem[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next;
        next += 1;
        out[i] = await gatherItem(g, items[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(gatherConcurrency, items.length) }, worker));
    return out;
  }

  /** Posts one item; a chart that can't be drawn or uploaded falls back to a text message saying so. */
  async function postItem(poster: Poster, channel: string, item: GatheredItem): Promise<DigestItemView> {
    const { view, chart } = item;
    if (view.kind !== 'chart') {
      await poster.post(channel, digestItemMessage(view));
      return view;
    }
    try {
      const png = await render(chart!);
      await poster.postImage(channel, png, {
        filename: `${slug(view.title)}.png`,
        title: view.title,
        comment: chartComment(view),
        altText: `Chart: ${view.title}. ${view.summary}`,
      });
      return view;
    } catch (error) {
      if (isSlackPostError(error) && error.method === 'chat.postMessage') throw error;
      const fallback: DigestItemView = {
        kind: 'error',
        title: view.title,
        link: view.link,
        message: `The chart could not be ${isSlackPostError(error) ? `shared (Slack: ${error.code})` : 'drawn'}. ${escapeMrkdwn(view.summary)}`,
      };
      if (!isSlackPostError(error)) opts.services.logger.error(`digest chart "${view.title}" failed:`, error);
      await poster.post(channel, digestItemMessage(fallback));
      return fallback;
    }
  }

  async function checkAlert(schedule: ScheduleRecord, occurrence: Date, o: RunOptions = {}): Promise<RunResult> {
    const spec = alertSpecSchema.safeParse(schedule.spec);
    if (!spec.success) return { ok: false, summary: 'failed: the alert’s stored settings are unreadable; delete and recreate it' };
    const { ctx, poster } = await contextFor(schedule);
    const state = readAlertState(schedule.state);
    const notConnected = await notConnectedReason(ctx);
    if (notConnected) {
      await ctx.store.schedules.recordRun(schedule.id, now(), notConnected, state);
      return { ok: false, summary: notConnected };
    }
    let value: number;
    let projectId: number;
    try {
      projectId = await realProjectId(ctx);
      value = await measure(await ctx.posthog(), projectId, spec.data.hogql);
    } catch (error) {
      const reason = failureText(ctx, `alert ${schedule.id}`, error);
      await ctx.store.schedules.recordRun(schedule.id, now(), `check failed`, { ...state, lastError: reason });
      return { ok: false, summary: `check failed: ${reason}` };
    }
    const { state: next, transition } = nextAlertState(spec.data, state, { at: occurrence.toISOString(), value });
    const shown = formatValue(value);
    if (transition === 'started' || transition === 'cleared') {
      const event = {
        alertId: schedule.id,
        title: schedule.title,
        link: hogqlUrl(ctx.config.posthogAppUrl, projectId, spec.data.hogql),
        value: shown,
        condition: describeCondition(spec.data),
        transition,
        every: spec.data.every,
      } as const;
      try {
        const png = await render(alertChart(schedule.title, spec.data, next.values));
        await poster.postImage(schedule.channelId, png, {
          filename: `alert-${schedule.id}.png`,
          title: schedule.title,
          comment: alertEventText(event),
          altText: `Recent values of ${schedule.title}`,
        });
      } catch (error) {
        if (isSlackPostError(error) && error.method === 'chat.postMessage') throw error;
        if (!isSlackPostError(error)) opts.services.logger.error(`alert ${schedule.id} chart failed:`, error);
        try {
          await poster.post(schedule.channelId, alertEventMessage(event));
        } catch (postError) {
          // The state does not move: the next check tries to say it again.
          if (isSlackPostError(postError))
            return { ok: false, summary: `failed: Slack answered ${postError.code} in <#${schedule.channelId}>` };
          throw postError;
        }
      }
    }
    const summary = `${shown} (${next.firing ? 'firing' : 'ok'})${o.manualBy ? ', checked by hand' : ''}`;
    await ctx.store.schedules.recordRun(schedule.id, now(), summary, next);
    return { ok: true, summary: transition === 'started' || transition === 'cleared' ? `${transition}: ${summary}` : summary };
  }

  const run: Runner = async ({ schedule, delivery }) => {
    if (delivery.periodKey.startsWith(INVALID_PERIOD)) {
      return { ok: false, summary: 'failed: the schedule can’t be computed (unknown time zone?); delete and recreate it' };
    }
    const occurrence = new Date(delivery.periodKey);
    const o = { late: delivery.late, skipped: delivery.skipped };
    try {
      return await (schedule.kind === 'alert' ? checkAlert(schedule, occurrence, o) : deliverDigest(schedule, occurrence, o));
    } catch (error) {
      // Uninstalled since it was scheduled: nothing to post with, and nothing a retry would fix.
      if (error instanceof NoInstallationError) return { ok: false, summary: 'failed: Hogbot is no longer installed in this workspace' };
      throw error;
    }
  };

  return { run, deliverDigest, checkAlert };
}

/** Run now: a period as long as the schedule's, ending now. */
function manualPeriod(cadence: ReturnType<typeof cadenceSchema.parse>, end: Date): Period {
  const latest = latestOccurrence(cadence, end);
  const length = nextOccurrence(cadence, latest).getTime() - latest.getTime();
  return { start: new Date(end.getTime() - length), end, timezone: cadence.timezone };
}

/** Links need the project's real id: ask PostHog which project `@current` is when none was chosen. */
export async function realProjectId(ctx: Pick<CommandContext, 'projectId' | 'posthog'>): Promise<number> {
  const chosen = await ctx.projectId();
  if (typeof chosen === 'number') return chosen;
  const project = await (await ctx.posthog()).request('GET', '/api/projects/@current/', projectSchema);
  return project.id;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'chart'
  );
}
