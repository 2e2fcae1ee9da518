/** The `/ph digest add` form: opening it, and reading a submission into the same payload the typed command builds. */
import { context, type Message } from '../../views/blocks.js';
import { DIGEST_FORM, digestModal } from '../../views/digest.js';
import { CommandError } from '../errors.js';
import type { CommandContext } from '../registry/command.js';
import { encodeOrigin, type ModalOrigin, type ModalValues } from '../registry/interaction.js';
import { cadenceSchema, isValidTimezone, parseTimeOfDay, WEEKDAY_NAMES, WEEKDAYS } from '../scheduler/cadence.js';
import { digestItemSchema, MAX_DIGEST_ITEMS } from '../scheduler/digest.js';
import { callerTimeZone } from '../slack/profile.js';
import { type CreatePayload, createPayload } from './create.js';

export interface DigestFormData {
  payload: CreatePayload;
}

export async function openDigestForm(ctx: CommandContext): Promise<Message> {
  if (!ctx.triggerId) throw new CommandError('Describe the digest after the command: `/ph digest add daily 09:00 #growth "Growth"`.');
  const [timezone, queries] = await Promise.all([callerTimeZone(ctx), ctx.store.schedules.listQueries(ctx.teamId)]);
  const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
  await ctx.openModal(
    digestModal({ privateMetadata, channelId: ctx.channelId, timezone, savedQueries: queries.map((q) => q.name), weekdays: FORM_WEEKDAYS }),
  );
  return {
    text: 'Opened the digest form.',
    blocks: [context(':spiral_calendar_pad: Opened the digest form. You will review it here before anything is scheduled.')],
  };
}

/** Monday first, as people plan a week. */
const FORM_WEEKDAYS = [...WEEKDAYS.slice(1), WEEKDAYS[0]].map((value) => ({ value, label: WEEKDAY_NAMES[value] }));

const F = DIGEST_FORM;
const read = (values: ModalValues, [block, action]: readonly [string, string]) => values[block]?.[action];

/** Field errors keyed by block id (Slack shows them inline), or the payload; pure, since it runs before the ack. */
export function readDigestForm(values: ModalValues, origin: ModalOrigin): { errors: Record<string, string> } | { data: DigestFormData } {
  const errors: Record<string, string> = {};
  const title = read(values, F.title)?.value?.trim() ?? '';
  if (!title) errors[F.title[0]] = 'Give the digest a title.';
  const channelId =
    (read(values, F.channel) as { selected_conversation?: string | null } | undefined)?.selected_conversation ?? origin.channelId;
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
  // Options Hogbot did not offer (a forged submission) are dropped, not trusted.
  const extras = (read(values, F.extras)?.selected_options ?? []).flatMap((o) => digestItemSchema.safeParse({ kind: o.value }).data ?? []);
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
  if (Object.keys(errors).length > 0 || !payload.success)
    return { errors: Object.keys(errors).length > 0 ? errors : { [F.title[0]]: 'Check the form.' } };
  return { data: { payload: payload.data } };
}
