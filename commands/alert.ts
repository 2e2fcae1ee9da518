import { z } from 'zod';
import { ALERT_PAUSE_ACTION, ALERT_RESUME_ACTION, alertDoneMessage, alertListMessage } from '../views/alert.js';
import { type Message, section } from '../views/blocks.js';
import { syntaxErrorText } from '../views/query.js';
import { CommandError } from '../src/errors.js';
import { checkSyntax } from '../src/hogql/syntax.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import { describeUpstreamError } from '../src/posthog/translate.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineAction } from '../src/registry/interaction.js';
import { AlertValueError, alertCadence, alertRow, alertSpecSchema, conditionHolds, describeCondition, formatValue, INITIAL_ALERT_STATE, measure } from '../src/scheduler/alert.js';
import { cadenceSchema, describeCadence, nextOccurrence } from '../src/scheduler/cadence.js';
import { applyPause, pausePayload, planPause } from '../src/scheduler/pause.js';
import { planWrite } from '../src/plans/propose.js';
import { channelLabel, checkTimezone, currentChannel, createScheduleWithFreshId, findSchedule, parseChannel, requireRole, SCHEDULE_ID } from '../src/scheduler/inputs.js';
import { callerTimeZone } from '../src/slack/profile.js';
import { isQueryRunError } from '../src/hogql/run.js';
import { homeAware } from '../src/slack/home.js';

const alertId = z.string().regex(SCHEDULE_ID, 'is not an alert id (see `/ph alert list`)');

const createPayload = alertSpecSchema.extend({
  title: z.string().min(1).max(120),
  channelId: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  timezone: z.string().min(1),
});
type CreatePayload = z.infer<typeof createPayload>;

/** The query as typed, without the quotes people put around it. */
function unquote(text: string): string {
  const t = text.trim();
  const pairs: Array<[string, string]> = [['"', '"'], ['“', '”'], ["'", "'"]];
  for (const [open, close] of pairs) if (t.length >= 2 && t.startsWith(open) && t.endsWith(close)) return t.slice(1, -1).trim();
  return t;
}

/** Runs the query once, so a query that can't become an alert is refused now rather than at 3 am. */
async function currentValue(ctx: CommandContext, hogql: string): Promise<number> {
  try {
    return await measure(await ctx.posthog(), await ctx.projectId(), hogql);
  } catch (error) {
    if (error instanceof AlertValueError) throw new CommandError(error.message);
    if (isQueryRunError(error)) throw new CommandError(`The query could not run: ${error.detail}`);
    if (isUpstreamError(error)) throw new CommandError(describeUpstreamError(error));
    throw error;
  }
}

const add = defineCommand({
  name: 'alert add',
  summary: 'Post when a HogQL number crosses a threshold, and when it clears (checked hourly, or daily at 09:00 your time)',
  usage: '"<HogQL returning one number>" --above N|--below N [--every hour|day] [--channel #x] [--name "Title"] [--tz Zone]',
  examples: ['/ph alert add "SELECT count() FROM events WHERE event = \'$pageview\' AND timestamp > now() - INTERVAL 1 HOUR" --below 10 --every hour --channel #growth --name "Pageviews per hour"'],
  args: z.object({
    hogql: z.string(),
    above: z.coerce.number().finite().optional(),
    below: z.coerce.number().finite().optional(),
    every: z.enum(['hour', 'day']).optional(),
    channel: z.string().optional(),
    name: z.string().max(120).optional(),
    tz: z.string().optional(),
  }),
  raw: 'hogql',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx, args) => {
    const hogql = unquote(args.hogql);
    if (!hogql) throw new CommandError('Give the query in quotes: `/ph alert add "SELECT count() FROM events WHERE …" --above 100`.');
    if ((args.above === undefined) === (args.below === undefined)) throw new CommandError('Say when to alert with exactly one of `--above N` or `--below N`.');
    const check = await checkSyntax(hogql);
    if (!check.ok) return { text: 'HogQL syntax error: no alert was created', blocks: [section(syntaxErrorText(check.problem).replace('Nothing was sent to PostHog.', 'No alert was created.'))] };
    const direction = args.above !== undefined ? 'above' : 'below';
    const threshold = (args.above ?? args.below)!;
    const every = args.every ?? 'hour';
    const channelId = args.channel ? parseChannel(args.channel) : currentChannel(ctx);
    const timezone = args.tz ? checkTimezone(args.tz) : await callerTimeZone(ctx);
    const value = await currentValue(ctx, hogql);
    const payload: CreatePayload = { hogql, direction, threshold, every, channelId, timezone, title: args.name?.trim() || hogql.replace(/\s+/g, ' ').slice(0, 80) };
    const holds = conditionHolds(payload, value);
    return {
      title: `Create alert “${payload.title}”`,
      target: [
        { label: 'Channel', value: channelLabel(channelId, args.channel) },
        { label: 'Checks', value: describeCadence(alertCadence(every, timezone)) },
      ],
      changes: [
        { what: 'Alert', before: 'none', after: `when ${describeCondition(payload)}` },
        { what: 'Value now', before: '–', after: `${formatValue(value)} (${holds ? 'the condition holds: the first check will post' : 'the condition does not hold'})` },
      ],
      payload,
      subject: { type: 'alert', id: null, label: payload.title, before: null, after: payload },
    };
  },
  apply: async (ctx, p: CreatePayload) => {
    const cadence = alertCadence(p.every, p.timezone);
    const id = await createScheduleWithFreshId(ctx, 'alert', {
      teamId: ctx.teamId,
      enterpriseId: ctx.enterpriseId,
      channelId: p.channelId,
      title: p.title,
      cadence,
      spec: { hogql: p.hogql, direction: p.direction, threshold: p.threshold, every: p.every },
      state: INITIAL_ALERT_STATE,
      createdBy: ctx.userId,
      createdAt: ctx.now(),
      nextRunAt: nextOccurrence(cadence, ctx.now()),
    });
    return {
      message: alertDoneMessage(`Alert *${p.title}* (\`${id}\`) checks every ${p.every} and posts in <#${p.channelId}> when it goes ${describeCondition(p)}, and again when it clears.`),
      objectId: id,
    };
  },
});

const list = defineCommand({
  name: 'alert list',
  aliases: ['alerts'],
  summary: 'This workspace’s alerts and their state',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => alertListMessage({ alerts: (await ctx.store.schedules.listSchedules(ctx.teamId, 'alert')).map(alertRow) }),
});

const pause = defineCommand({
  name: 'alert pause',
  summary: 'Stop checking an alert until resumed',
  usage: '<id>',
  args: z.object({ id: alertId }),
  positional: ['id'],
  mutates: true,
  confirm: 'skip',
  role: 'writer',
  payload: pausePayload,
  plan: (ctx, { id }) => planPause(ctx, 'alert', id, true),
  apply: (ctx, p) => applyPause(ctx, 'alert', p),
});

const resume = defineCommand({
  name: 'alert resume',
  summary: 'Check a paused alert again',
  usage: '<id>',
  args: z.object({ id: alertId }),
  positional: ['id'],
  mutates: true,
  confirm: 'skip',
  role: 'writer',
  payload: pausePayload,
  plan: (ctx, { id }) => planPause(ctx, 'alert', id, false),
  apply: (ctx, p) => applyPause(ctx, 'alert', p),
});

const remove = defineCommand({
  name: 'alert delete',
  summary: 'Delete an alert',
  usage: '<id>',
  args: z.object({ id: alertId }),
  positional: ['id'],
  mutates: true,
  role: 'writer',
  payload: z.object({ id: alertId }),
  plan: async (ctx, { id }) => {
    const alert = await findSchedule(ctx, 'alert', id);
    const row = alertRow(alert);
    return {
      title: `Delete alert “${alert.title}”`,
      target: [
        { label: 'Alert', value: `${alert.title} (${alert.id})` },
        { label: 'Channel', value: alert.channelId },
      ],
      changes: [{ what: 'Alert', before: `when ${row.condition}, every ${row.every}`, after: 'deleted' }],
      payload: { id: alert.id },
      subject: { type: 'alert', id: alert.id, label: alert.title, before: { channelId: alert.channelId, spec: alert.spec }, after: null },
    };
  },
  apply: async (ctx, { id }) => {
    const alert = await findSchedule(ctx, 'alert', id);
    await ctx.store.schedules.deleteSchedule(ctx.teamId, alert.id);
    return alertDoneMessage(`Deleted alert *${alert.title}* (\`${alert.id}\`).`);
  },
});

function alertButton(actionId: string, paused: boolean) {
  return defineAction({
    actionId,
    run: (ctx, input) =>
      homeAware(ctx, input, async () => {
        await requireRole(ctx, 'writer', paused ? 'Pausing an alert' : 'Resuming an alert');
        const id = alertId.safeParse(input.value);
        if (!id.success) throw new CommandError('That button no longer points at an alert.');
        return planWrite(ctx, paused ? pause : resume, { id: id.data });
      }),
  });
}

export const interactions = [alertButton(ALERT_PAUSE_ACTION, true), alertButton(ALERT_RESUME_ACTION, false)];

export default [add, list, pause, resume, remove];
