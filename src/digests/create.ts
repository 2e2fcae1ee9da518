/** `/ph digest add`: from typed words or the form to a checked plan, and from a confirmed plan to a stored digest. */
import { z } from 'zod';
import { digestDoneMessage } from '../../views/digest.js';
import { CommandError } from '../errors.js';
import { isUpstreamError } from '../posthog/errors.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import { type Cadence, cadenceSchema, describeCadence, nextOccurrence } from '../scheduler/cadence.js';
import { type DigestItem, describeItem, digestItemSchema, MAX_DIGEST_ITEMS, savedQueryName } from '../scheduler/digest.js';
import { fetchInsight, InsightNotFoundError, insightTitle } from '../scheduler/insights.js';
import { formatDateTime } from '../../views/when.js';
import { findChannel } from '../scheduler/channel-lookup.js';
import { channelLabel, checkTimezone, createScheduleWithFreshId, currentChannel, parseScheduleWords } from '../scheduler/inputs.js';
import { requireChannelMember } from '../scheduler/membership.js';
import { callerTimeZone } from '../slack/profile.js';

export const createPayload = z.object({
  title: z.string().min(1).max(120),
  channelId: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  cadence: cadenceSchema,
  items: z.array(digestItemSchema).min(1).max(MAX_DIGEST_ITEMS),
});
export type CreatePayload = z.infer<typeof createPayload>;

/** The item flags of `/ph digest add`. */
export interface ItemFlags {
  queries?: string[] | undefined;
  insights?: string[] | undefined;
  flags?: boolean | undefined;
  experiments?: boolean | undefined;
}

/** Checks the items against what exists now, and names insights for the plan. */
async function describeItems(ctx: CommandContext, items: DigestItem[]): Promise<string[]> {
  const saved = new Set((await ctx.store.schedules.listQueries(ctx.teamId)).map((q) => q.name));
  const out: string[] = [];
  for (const item of items) {
    if (item.kind === 'query' && !saved.has(item.name)) {
      throw new CommandError(
        `There is no saved query \`${item.name}\`. Save it first with \`/ph query save ${item.name} <HogQL>\` (see \`/ph queries\`).`,
      );
    }
    if (item.kind === 'insight') {
      try {
        const insight = await fetchInsight(await ctx.posthog(), await ctx.projectId(), item.ref);
        out.push(`Insight “${insightTitle(insight)}” (${item.ref})`);
        continue;
      } catch (error) {
        if (error instanceof InsightNotFoundError || (isUpstreamError(error) && error.kind === 'posthog_not_found')) {
          throw new CommandError(`There is no insight \`${item.ref}\` in this project. Use its id or the short id from its URL.`);
        }
        throw error;
      }
    }
    out.push(describeItem(item));
  }
  return out;
}

/** The plan shown before a digest is created; `channelToken` is the channel as typed, to name it in the plan. */
export async function planCreate(ctx: CommandContext, payload: CreatePayload, channelToken?: string): Promise<PlanDraft<CreatePayload>> {
  await requireChannelMember(ctx, payload.channelId, 'digest');
  const labels = await describeItems(ctx, payload.items);
  const first = nextOccurrence(payload.cadence, ctx.now());
  return {
    title: `Create digest “${payload.title}”`,
    target: [
      { label: 'Channel', value: channelLabel(payload.channelId, channelToken) },
      { label: 'Schedule', value: describeCadence(payload.cadence) },
    ],
    changes: [
      { what: 'Digest', before: 'none', after: payload.title },
      { what: 'Items', before: '–', after: labels.join('; ') },
      // In the schedule's own zone (the reader's unless --tz says otherwise), not UTC (issue 15).
      { what: 'First delivery', before: '–', after: formatDateTime(first, payload.cadence.timezone) },
    ],
    payload,
    subject: { type: 'digest', id: null, label: payload.title, before: null, after: payload },
  };
}

export function itemsFromFlags(args: ItemFlags): DigestItem[] {
  const items: DigestItem[] = [];
  for (const name of args.queries ?? []) {
    const parsed = savedQueryName.safeParse(name);
    if (!parsed.success) throw new CommandError(`\`${name}\` is not a saved query name. See \`/ph queries\`.`);
    items.push({ kind: 'query', name: parsed.data });
  }
  for (const ref of args.insights ?? []) {
    if (!/^[A-Za-z0-9]{1,32}$/.test(ref)) throw new CommandError(`\`${ref}\` is not an insight id or short id.`);
    items.push({ kind: 'insight', ref });
  }
  if (args.flags) items.push({ kind: 'flag_changes' });
  if (args.experiments) items.push({ kind: 'experiments' });
  // Nothing named: the two items every workspace has.
  if (items.length === 0) items.push({ kind: 'flag_changes' }, { kind: 'experiments' });
  if (items.length > MAX_DIGEST_ITEMS)
    throw new CommandError(`A digest holds up to ${MAX_DIGEST_ITEMS} items; this one has ${items.length}.`);
  return items;
}

/** `daily 09:00 #growth "Growth"` plus the flags, as a plan; the time zone is the caller's unless `--tz` names one. */
export async function planFromWords(
  ctx: CommandContext,
  spec: string,
  args: ItemFlags & { tz?: string | undefined },
): Promise<PlanDraft<CreatePayload>> {
  const words = parseScheduleWords(spec);
  const timezone = args.tz ? checkTimezone(args.tz) : await callerTimeZone(ctx);
  const cadence: Cadence =
    words.frequency === 'daily'
      ? { kind: 'daily', hour: words.hour, minute: words.minute, timezone }
      : words.frequency === 'weekly'
        ? { kind: 'weekly', weekday: words.weekday as 'mon', hour: words.hour, minute: words.minute, timezone }
        : { kind: 'monthly', day: words.day!, hour: words.hour, minute: words.minute, timezone };
  const channelId = words.channel ? await findChannel(ctx, words.channel) : currentChannel(ctx);
  const payload = { title: words.title ?? 'Digest', channelId, cadence, items: itemsFromFlags(args) };
  return planCreate(ctx, payload, words.channel);
}

/** Stores the confirmed digest under a fresh id (retrying the rare id collision) and says when it first posts. */
export async function applyCreate(ctx: CommandContext, payload: CreatePayload): Promise<Applied> {
  const id = await createDigest(ctx, payload);
  const first = nextOccurrence(payload.cadence, ctx.now());
  return {
    message: digestDoneMessage(
      `Digest *${payload.title}* (\`${id}\`) will post in <#${payload.channelId}> ${describeCadence(payload.cadence)}. First delivery: <!date^${Math.floor(first.getTime() / 1000)}^{date_short_pretty} {time}|${first.toISOString()}>.`,
    ),
    objectId: id,
  };
}

function createDigest(ctx: CommandContext, p: CreatePayload): Promise<string> {
  return createScheduleWithFreshId(ctx, 'digest', {
    teamId: ctx.teamId,
    enterpriseId: ctx.enterpriseId,
    channelId: p.channelId,
    title: p.title,
    cadence: p.cadence,
    spec: { items: p.items },
    state: null,
    createdBy: ctx.userId,
    createdAt: ctx.now(),
    nextRunAt: nextOccurrence(p.cadence, ctx.now()),
  });
}
