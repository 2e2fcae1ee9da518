/** Alerts: checking a query can become one, planning and creating it, and deleting it. Declared in commands/alert.ts. */
import { z } from 'zod';
import { alertDoneMessage } from '../../views/alert.js';
import { type Message, section } from '../../views/blocks.js';
import { syntaxErrorText } from '../../views/query.js';
import { CommandError } from '../errors.js';
import { isQueryRunError } from '../hogql/run.js';
import { caretSnippet, checkSyntax } from '../hogql/syntax.js';
import { isUpstreamError } from '../posthog/errors.js';
import { describeUpstreamError } from '../posthog/translate.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import {
  AlertValueError,
  alertCadence,
  alertRow,
  alertSpecSchema,
  conditionHolds,
  describeCondition,
  formatValue,
  INITIAL_ALERT_STATE,
  measure,
} from '../scheduler/alert.js';
import { describeCadence, nextOccurrence } from '../scheduler/cadence.js';
import { findChannel } from '../scheduler/channel-lookup.js';
import { channelLabel, checkTimezone, createScheduleWithFreshId, currentChannel, findSchedule } from '../scheduler/inputs.js';
import { requireChannelMember } from '../scheduler/membership.js';
import { callerTimeZone } from '../slack/profile.js';

export const createPayload = alertSpecSchema.extend({
  title: z.string().min(1).max(120),
  channelId: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  timezone: z.string().min(1),
});
export type CreatePayload = z.infer<typeof createPayload>;

export interface AddArgs {
  hogql: string;
  above?: number | undefined;
  below?: number | undefined;
  every?: 'hour' | 'day' | undefined;
  channel?: string | undefined;
  name?: string | undefined;
  tz?: string | undefined;
}

/** The query as typed, without the quotes people put around it. */
function unquote(text: string): string {
  const t = text.trim();
  const pairs: Array<[string, string]> = [
    ['"', '"'],
    ['“', '”'],
    ["'", "'"],
  ];
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

export async function planAdd(ctx: CommandContext, args: AddArgs): Promise<PlanDraft<CreatePayload> | Message> {
  const hogql = unquote(args.hogql);
  if (!hogql) throw new CommandError('Give the query in quotes: `/ph alert add "SELECT count() FROM events WHERE …" --above 100`.');
  if ((args.above === undefined) === (args.below === undefined))
    throw new CommandError('Say when to alert with exactly one of `--above N` or `--below N`.');
  const check = await checkSyntax(hogql);
  if (!check.ok)
    return {
      text: 'HogQL syntax error: no alert was created',
      blocks: [
        section(
          syntaxErrorText(check.problem, caretSnippet(check.problem)).replace('Nothing was sent to PostHog.', 'No alert was created.'),
        ),
      ],
    };
  const direction = args.above !== undefined ? 'above' : 'below';
  const threshold = (args.above ?? args.below)!;
  const every = args.every ?? 'hour';
  const channelId = args.channel ? await findChannel(ctx, args.channel) : currentChannel(ctx);
  await requireChannelMember(ctx, channelId, 'alert');
  const timezone = args.tz ? checkTimezone(args.tz) : await callerTimeZone(ctx);
  const value = await currentValue(ctx, hogql);
  const payload: CreatePayload = {
    hogql,
    direction,
    threshold,
    every,
    channelId,
    timezone,
    title: args.name?.trim() || hogql.replace(/\s+/g, ' ').slice(0, 80),
  };
  const holds = conditionHolds(payload, value);
  return {
    title: `Create alert “${payload.title}”`,
    target: [
      { label: 'Channel', value: channelLabel(channelId, args.channel) },
      { label: 'Checks', value: describeCadence(alertCadence(every, timezone)) },
    ],
    changes: [
      { what: 'Alert', before: 'none', after: `when ${describeCondition(payload)}` },
      {
        what: 'Value now',
        before: '–',
        after: `${formatValue(value)} (${holds ? 'the condition holds: the first check will post' : 'the condition does not hold'})`,
      },
    ],
    payload,
    subject: { type: 'alert', id: null, label: payload.title, before: null, after: payload },
  };
}

export async function applyAdd(ctx: CommandContext, p: CreatePayload): Promise<Applied> {
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
    message: alertDoneMessage(
      `Alert *${p.title}* (\`${id}\`) checks every ${p.every} and posts in <#${p.channelId}> when it goes ${describeCondition(p)}, and again when it clears.`,
    ),
    objectId: id,
  };
}

export async function planDelete(ctx: CommandContext, id: string): Promise<PlanDraft<{ id: string }>> {
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
}

export async function applyDelete(ctx: CommandContext, id: string): Promise<Message> {
  const alert = await findSchedule(ctx, 'alert', id);
  await ctx.store.schedules.deleteSchedule(ctx.teamId, alert.id);
  return alertDoneMessage(`Deleted alert *${alert.title}* (\`${alert.id}\`).`);
}
