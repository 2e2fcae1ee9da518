import { z } from 'zod';
import { problemMessage } from '../views/feedback.js';
import {
  DIGEST_FORM,
  DIGEST_MODAL_CALLBACK,
  DIGEST_PAUSE_ACTION,
  DIGEST_RESUME_ACTION,
  DIGEST_RUN_ACTION,
  digestCardMessage,
  digestDoneMessage,
  digestListMessage,
  digestModal,
} from '../views/digest.js';
import { context, type Message } from '../views/blocks.js';
import { CommandError } from '../src/errors.js';
import { proposePlan } from '../src/plans.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import { type CommandContext, defineCommand, type PlanDraft } from '../src/registry/command.js';
import { defineAction, defineModal, encodeOrigin, type ModalValues } from '../src/registry/interaction.js';
import { type Cadence, cadenceSchema, describeCadence, isValidTimezone, nextOccurrence, parseTimeOfDay } from '../src/scheduler/cadence.js';
import { type DigestItem, describeItem, digestItemSchema, digestRow, MAX_DIGEST_ITEMS, savedQueryName } from '../src/scheduler/digest.js';
import { fetchInsight, InsightNotFoundError, insightTitle } from '../src/scheduler/insights.js';
import {
  channelLabel,
  checkTimezone,
  currentChannel,
  findSchedule,
  newScheduleId,
  parseChannel,
  parseScheduleWords,
  requireRole,
  runtimeFor,
  SCHEDULE_ID,
} from '../src/scheduler/inputs.js';
import { homeAware } from '../src/slack/home.js';
import { callerTimeZone } from '../src/slack/profile.js';

const digestId = z.string().regex(SCHEDULE_ID, 'is not a digest id (see `/ph digest list`)');
const commaList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .optional();

const createPayload = z.object({
  title: z.string().min(1).max(120),
  channelId: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
  cadence: cadenceSchema,
  items: z.array(digestItemSchema).min(1).max(MAX_DIGEST_ITEMS),
});
type CreatePayload = z.infer<typeof createPayload>;

/** Checks the items against what exists now, and names insights for the plan. */
async function describeItems(ctx: CommandContext, items: DigestItem[]): Promise<string[]> {
  const saved = new Set((await ctx.store.schedules.listQueries(ctx.teamId)).map((q) => q.name));
  const out: string[] = [];
  for (const item of items) {
    if (item.kind === 'query' && !saved.has(item.name)) {
      throw new CommandError(`There is no saved query \`${item.name}\`. Save it first with \`/ph query save ${item.name} <HogQL>\` (see \`/ph queries\`).`);
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

async function planCreate(ctx: CommandContext, payload: CreatePayload, channelToken?: string): Promise<PlanDraft<CreatePayload>> {
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
      { what: 'First delivery', before: '–', after: first.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' },
    ],
    payload,
    subject: { type: 'digest', id: null, label: payload.title, before: null, after: payload },
  };
}

function itemsFromFlags(args: { queries?: string[] | undefined; insights?: string[] | undefined; flags?: boolean | undefined; experiments?: boolean | undefined }): DigestItem[] {
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
  if (items.length > MAX_DIGEST_ITEMS) throw new CommandError(`A digest holds up to ${MAX_DIGEST_ITEMS} items; this one has ${items.length}.`);
  return items;
}

const add = defineCommand({
  name: 'digest add',
  summary: 'Schedule a digest of saved queries, insights, flag changes and experiments (no arguments opens a form)',
  usage: '[daily|weekly <weekday>|monthly <day>] <time> [#channel] ["Title"] [--tz Zone] [--queries a,b] [--insights 1,2] [--flags] [--experiments]',
  examples: ['/ph digest add', '/ph digest add daily 09:00 #growth "Growth"', '/ph digest add weekly monday 9am #growth "Weekly growth" --queries signups --insights 40001 --flags'],
  args: z.object({
    spec: z.string().optional(),
    tz: z.string().optional(),
    queries: commaList,
    insights: commaList,
    flags: z.boolean().optional(),
    experiments: z.boolean().optional(),
  }),
  rest: 'spec',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx, args) => {
    if (!args.spec?.trim()) return openForm(ctx);
    const words = parseScheduleWords(args.spec);
    const timezone = args.tz ? checkTimezone(args.tz) : await callerTimeZone(ctx);
    const cadence: Cadence =
      words.frequency === 'daily'
        ? { kind: 'daily', hour: words.hour, minute: words.minute, timezone }
        : words.frequency === 'weekly'
          ? { kind: 'weekly', weekday: words.weekday as 'mon', hour: words.hour, minute: words.minute, timezone }
          : { kind: 'monthly', day: words.day!, hour: words.hour, minute: words.minute, timezone };
    const channelId = words.channel ? parseChannel(words.channel) : currentChannel(ctx);
    const payload = { title: words.title ?? 'Digest', channelId, cadence, items: itemsFromFlags(args) };
    return planCreate(ctx, payload, words.channel);
  },
  apply: async (ctx, payload) => {
    const id = await createDigest(ctx, payload);
    const first = nextOccurrence(payload.cadence, ctx.now());
    return {
      message: digestDoneMessage(`Digest *${payload.title}* (\`${id}\`) will post in <#${payload.channelId}> ${describeCadence(payload.cadence)}. First delivery: <!date^${Math.floor(first.getTime() / 1000)}^{date_short_pretty} {time}|${first.toISOString()}>.`),
      objectId: id,
    };
  },
});

async function createDigest(ctx: CommandContext, p: CreatePayload): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const id = newScheduleId('digest');
    const created = await ctx.store.schedules.createSchedule({
      id,
      kind: 'digest',
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
    if (created) return id;
  }
  throw new Error('could not find a free digest id');
}

async function openForm(ctx: CommandContext): Promise<Message> {
  if (!ctx.triggerId) throw new CommandError('Describe the digest after the command: `/ph digest add daily 09:00 #growth "Growth"`.');
  const [timezone, queries] = await Promise.all([callerTimeZone(ctx), ctx.store.schedules.listQueries(ctx.teamId)]);
  const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
  await ctx.openModal(digestModal({ privateMetadata, channelId: ctx.channelId, timezone, savedQueries: queries.map((q) => q.name) }));
  return { text: 'Opened the digest form.', blocks: [context(':spiral_calendar_pad: Opened the digest form. You will review it here before anything is scheduled.')] };
}

const list = defineCommand({
  name: 'digest list',
  aliases: ['digests'],
  summary: 'This workspace’s digests',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => digestListMessage({ digests: (await ctx.store.schedules.listSchedules(ctx.teamId, 'digest')).map(digestRow) }),
});

const show = defineCommand({
  name: 'digest show',
  summary: 'A digest’s schedule, items and recent deliveries',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: false,
  role: 'reader',
  run: async (ctx, { id }) => showDigest(ctx, id),
});

async function showDigest(ctx: CommandContext, id: string): Promise<Message> {
  const digest = await findSchedule(ctx, 'digest', id);
  const deliveries = await ctx.store.schedules.listDeliveries(digest.id, 5);
  return digestCardMessage({
    digest: digestRow(digest),
    deliveries: deliveries.map((d) => ({
      periodKey: d.periodKey,
      status: d.status,
      late: d.late,
      at: d.finishedAt ?? d.claimedAt,
      summary: typeof (d.detail as { summary?: unknown } | null)?.summary === 'string' ? (d.detail as { summary: string }).summary : null,
    })),
  });
}

async function runNow(ctx: CommandContext, id: string): Promise<Message> {
  const digest = await findSchedule(ctx, 'digest', id);
  const now = ctx.now();
  const key = `manual:${now.toISOString()}:${ctx.userId}`;
  await ctx.store.schedules.recordManualDelivery(digest.id, key, now);
  const result = await runtimeFor(ctx).deliverDigest(digest, now, { manualBy: ctx.userId });
  await ctx.store.schedules.finishDelivery(digest.id, key, result.ok ? 'sent' : 'failed', ctx.now(), { summary: result.summary });
  if (!result.ok) return problemMessage(`Digest *${digest.title}* could not be delivered: ${result.summary}`);
  return digestDoneMessage(`Digest *${digest.title}* posted in <#${digest.channelId}> (${result.summary}).`);
}

const run = defineCommand({
  name: 'digest run',
  summary: 'Deliver a digest now, outside its schedule',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: false,
  role: 'writer',
  run: async (ctx, { id }) => runNow(ctx, id),
});

async function setPaused(ctx: CommandContext, id: string, paused: boolean): Promise<Message> {
  const digest = await findSchedule(ctx, 'digest', id);
  if (digest.paused === paused) return digestDoneMessage(`Digest *${digest.title}* is already ${paused ? 'paused' : 'running'}.`);
  const cadence = cadenceSchema.parse(digest.cadence);
  // Resuming starts from the next run: nothing missed while paused is delivered.
  const next = paused ? undefined : nextOccurrence(cadence, ctx.now());
  await ctx.store.schedules.setPaused(ctx.teamId, digest.id, paused, next);
  return digestDoneMessage(paused ? `Paused digest *${digest.title}*. Resume with \`/ph digest resume ${digest.id}\`.` : `Resumed digest *${digest.title}*: next delivery ${next!.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
}

const pause = defineCommand({
  name: 'digest pause',
  summary: 'Stop a digest’s deliveries until resumed',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: false,
  role: 'writer',
  run: async (ctx, { id }) => setPaused(ctx, id, true),
});

const resume = defineCommand({
  name: 'digest resume',
  summary: 'Resume a paused digest from its next scheduled time',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: false,
  role: 'writer',
  run: async (ctx, { id }) => setPaused(ctx, id, false),
});

const remove = defineCommand({
  name: 'digest delete',
  summary: 'Delete a digest',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: true,
  role: 'writer',
  payload: z.object({ id: digestId }),
  plan: async (ctx, { id }) => {
    const digest = await findSchedule(ctx, 'digest', id);
    return {
      title: `Delete digest “${digest.title}”`,
      target: [
        { label: 'Digest', value: `${digest.title} (${digest.id})` },
        { label: 'Channel', value: digest.channelId },
      ],
      changes: [{ what: 'Digest', before: describeCadence(cadenceSchema.parse(digest.cadence)), after: 'deleted' }],
      payload: { id: digest.id },
      subject: { type: 'digest', id: digest.id, label: digest.title, before: { channelId: digest.channelId, cadence: digest.cadence, spec: digest.spec }, after: null },
    };
  },
  apply: async (ctx, { id }) => {
    const digest = await findSchedule(ctx, 'digest', id);
    await ctx.store.schedules.deleteSchedule(ctx.teamId, digest.id);
    return digestDoneMessage(`Deleted digest *${digest.title}* (\`${digest.id}\`). Nothing more will be posted.`);
  },
});

/** Run now / Pause / Resume buttons, on a digest card or in App Home (where the tab is refreshed instead of a reply). */
function digestButton(actionId: string, label: string, work: (ctx: CommandContext, id: string) => Promise<Message>) {
  return defineAction({
    actionId,
    run: (ctx, input) =>
      homeAware(ctx, input, async () => {
        await requireRole(ctx, 'writer', label);
        const id = digestId.safeParse(input.value);
        if (!id.success) throw new CommandError('That button no longer points at a digest.');
        return work(ctx, id.data);
      }),
  });
}

interface FormData {
  payload: CreatePayload;
}

const F = DIGEST_FORM;
const read = (values: ModalValues, [block, action]: readonly [string, string]) => values[block]?.[action];

const form = defineModal<FormData>({
  callbackId: DIGEST_MODAL_CALLBACK,
  role: add.role,
  validate(values, origin) {
    const errors: Record<string, string> = {};
    const title = read(values, F.title)?.value?.trim() ?? '';
    if (!title) errors[F.title[0]] = 'Give the digest a title.';
    const channelId = (read(values, F.channel) as { selected_conversation?: string | null } | undefined)?.selected_conversation ?? origin.channelId;
    if (!channelId) errors[F.channel[0]] = 'Pick a channel.';
    const frequency = read(values, F.frequency)?.selected_option?.value ?? 'daily';
    const time = parseTimeOfDay(read(values, F.time)?.selected_time ?? '');
    if (!time) errors[F.time[0]] = 'Pick a time.';
    const timezone = read(values, F.timezone)?.value?.trim() || 'UTC';
    if (!isValidTimezone(timezone)) errors[F.timezone[0]] = 'An IANA time zone, e.g. Europe/Berlin.';
    const weekday = read(values, F.weekday)?.selected_option?.value ?? 'mon';
    const day = Number(read(values, F.day)?.value ?? '1');
    if (frequency === 'monthly' && !(Number.isInteger(day) && day >= 1 && day <= 31)) errors[F.day[0]] = 'A day from 1 to 31.';
    const queries = (read(values, F.queries)?.selected_options ?? []).map((o) => ({ kind: 'query' as const, name: o.value }));
    const insightRefs = (read(values, F.insights)?.value ?? '').split(/[\s,]+/).filter(Boolean);
    if (insightRefs.some((r) => !/^[A-Za-z0-9]{1,32}$/.test(r))) errors[F.insights[0]] = 'Insight ids or short ids, separated by commas.';
    const extras = (read(values, F.extras)?.selected_options ?? []).map((o) => ({ kind: o.value }) as DigestItem);
    const items = [...queries, ...insightRefs.map((ref) => ({ kind: 'insight' as const, ref })), ...extras];
    if (items.length === 0) errors[F.extras[0]] = 'Pick at least one item.';
    if (items.length > MAX_DIGEST_ITEMS) errors[F.insights[0]] = `Up to ${MAX_DIGEST_ITEMS} items in all.`;
    const cadence = cadenceSchema.safeParse(
      frequency === 'weekly'
        ? { kind: 'weekly', weekday, ...time, timezone }
        : frequency === 'monthly'
          ? { kind: 'monthly', day, ...time, timezone }
          : { kind: 'daily', ...time, timezone },
    );
    const payload = createPayload.safeParse({ title, channelId, cadence: cadence.data, items });
    if (Object.keys(errors).length > 0 || !payload.success) return { errors: Object.keys(errors).length > 0 ? errors : { [F.title[0]]: 'Check the form.' } };
    return { data: { payload: payload.data } };
  },
  async submit(ctx, data) {
    return proposePlan(ctx, add, await planCreate(ctx, data.payload));
  },
});

export const interactions = [
  digestButton(DIGEST_RUN_ACTION, 'Running a digest', runNow),
  digestButton(DIGEST_PAUSE_ACTION, 'Pausing a digest', (ctx, id) => setPaused(ctx, id, true)),
  digestButton(DIGEST_RESUME_ACTION, 'Resuming a digest', (ctx, id) => setPaused(ctx, id, false)),
  form,
];

export default [add, list, show, run, pause, resume, remove];
