/** Annotations: reading dates as people write them, listing, and creating or deleting one as a pinned, audited write. */
import { TZDate } from '@date-fns/tz';
import { addDays, format, subMilliseconds } from 'date-fns';
import { z } from 'zod';
import { annotationsMessage } from '../../views/annotations.js';
import { outcomeMessage, slackDate } from '../../views/audit.js';
import { escapeMrkdwn, type Message, truncate } from '../../views/blocks.js';
import { noticeMessage } from '../../views/flags.js';
import { projectUrl } from '../../views/links.js';
import { CommandError } from '../errors.js';
import { type PinnedTarget, pinnedClient, pinnedTargetShape, pinTarget, targetRows } from '../plans/pinned-target.js';
import { orNullOn404 } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import { callerTimeZone } from '../slack/profile.js';

const annotationSchema = z.looseObject({
  id: z.number(),
  content: z.string().nullish(),
  date_marker: z.string().nullish(),
  scope: z.string().nullish(),
  deleted: z.boolean().nullish(),
  updated_at: z.string().nullish(),
  created_by: z.looseObject({ email: z.string().nullish() }).nullish(),
});
type Annotation = z.infer<typeof annotationSchema>;

const PAGE_SIZE = 15;
const DATE_EXAMPLES = '"yesterday 14:00", "today 9am", "3 hours ago", "2025-03-01 14:00" or an ISO time such as 2025-03-01T14:00:00Z';

const UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `14:00`, `9am`, `2:30 pm`, `14:00:30`, or nothing (midnight). A bare number is ambiguous and refused. */
function parseTime(text: string): { h: number; m: number; s: number } | null {
  const t = text.trim().replace(/^at\s+/, '');
  if (t === '') return { h: 0, m: 0, s: 0 };
  const match = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?$/.exec(t);
  if (!match || (!match[2] && !match[4])) return null;
  let h = Number(match[1]);
  const m = Number(match[2] ?? 0);
  const s = Number(match[3] ?? 0);
  if (match[4]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (match[4] === 'pm' ? 12 : 0);
  }
  if (h > 23 || m > 59 || s > 59) return null;
  return { h, m, s };
}

/**
 * Reads when something happened, as a person in `zone` means it: `yesterday 14:00` is 14:00 on their yesterday, on
 * their wall clock (daylight saving included). Absolute times with `Z` or an offset are taken as they are. Null when
 * the text is not a date.
 */
export function parseWhen(input: string, zone: string, now: Date): Date | null {
  const raw = input.trim();
  const text = raw.toLowerCase().replace(/\s+/g, ' ');
  if (text === '' || text === 'now') return now;
  if (/^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const at = new Date(raw);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  const ago = /^(\d+) ?(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?) ago$/.exec(text);
  if (ago) return subMilliseconds(now, Number(ago[1]) * UNITS_MS[ago[2]![0]!]!);

  const local = new TZDate(now.getTime(), zone);
  let day: Date | null = null;
  let rest = text;
  const relative = /^(today|yesterday|tomorrow)\b ?(.*)$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](.*))?$/.exec(text);
  if (relative) {
    day = addDays(local, { today: 0, yesterday: -1, tomorrow: 1 }[relative[1] as 'today'] ?? 0);
    rest = relative[2] ?? '';
  } else if (iso) {
    day = new TZDate(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), zone);
    // 2025-02-30 rolls over to March: not a date anyone meant.
    if (day.getMonth() !== Number(iso[2]) - 1 || day.getDate() !== Number(iso[3])) return null;
    rest = iso[4] ?? '';
  } else if (parseTime(text)) {
    day = local;
  }
  if (!day) return null;
  const time = parseTime(rest);
  if (!time) return null;
  const at = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), time.h, time.m, time.s, zone);
  return new Date(at.getTime());
}

const annotationsPath = (t: Pick<PinnedTarget, 'projectId'>) => path`/api/projects/${t.projectId}/annotations/`;
const annotationPath = (t: Pick<PinnedTarget, 'projectId'>, id: number) => path`/api/projects/${t.projectId}/annotations/${id}/`;

/** Quotes text for a `/ph` command line; null when it holds both kinds of quote (no safe way to write it). */
function quoted(text: string): string | null {
  if (!text.includes('"')) return `"${text}"`;
  if (!text.includes("'")) return `'${text}'`;
  return null;
}

// --- annotate ---

export const SCOPES = ['project', 'organization'] as const;
export const createPayload = z.object({ ...pinnedTargetShape, content: z.string(), dateMarker: z.string(), scope: z.enum(SCOPES) });
export type CreatePayload = z.infer<typeof createPayload>;

export async function planAnnotate(
  ctx: CommandContext,
  args: { text: string; date?: string | undefined; scope?: (typeof SCOPES)[number] | undefined },
): Promise<PlanDraft<CreatePayload>> {
  const [t, zone] = await Promise.all([pinTarget(ctx), callerTimeZone(ctx)]);
  const at = args.date === undefined ? ctx.now() : parseWhen(args.date, zone, ctx.now());
  if (!at) throw new CommandError(`I can’t read the date “${escapeMrkdwn(args.date ?? '')}”. Try ${DATE_EXAMPLES}.`);
  const scope = args.scope ?? 'project';
  const iso = at.toISOString();
  const local = format(new TZDate(at.getTime(), zone), 'EEE d MMM yyyy, HH:mm');
  return {
    title: `Annotate ${t.projectName}: “${truncate(args.text, 60)}”`,
    target: [...targetRows(t), { label: 'Scope', value: scope }],
    changes: [
      { what: 'Annotation', before: 'none', after: args.text },
      { what: 'Date', before: '—', after: `${local} ${zone} (${iso} UTC)` },
    ],
    ...(scope === 'organization' ? { warning: 'Organization scope: it shows on the charts of every project in the organization.' } : {}),
    payload: { ...t, content: args.text, dateMarker: iso, scope },
    subject: {
      type: 'annotation',
      id: null,
      label: truncate(args.text, 80),
      connectionId: t.connectionId,
      projectId: t.projectId,
      before: null,
      after: { content: args.text, date_marker: iso, scope },
    },
  };
}

export async function applyAnnotate(ctx: CommandContext, p: CreatePayload): Promise<Applied> {
  const body = { content: p.content, date_marker: p.dateMarker, scope: p.scope };
  const created = await pinnedClient(ctx, p).request('POST', annotationsPath(p), annotationSchema, { body });
  return {
    message: outcomeMessage({
      text: `Annotated *${escapeMrkdwn(p.projectName)}* at ${slackDate(new Date(p.dateMarker))}: “${escapeMrkdwn(truncate(p.content, 300))}” (id \`${created.id}\`).`,
      undo: `annotation delete ${created.id}`,
      link: { url: projectUrl(ctx.config.posthogAppUrl, p.projectId, '/annotations'), label: 'Open in PostHog' },
    }),
    objectId: String(created.id),
    after: { content: created.content ?? p.content, date_marker: created.date_marker ?? p.dateMarker, scope: created.scope ?? p.scope },
  };
}

// --- annotations ---

export async function listAnnotations(
  ctx: CommandContext,
  args: { search?: string | undefined; offset?: number | undefined },
): Promise<Message> {
  const t = await pinTarget(ctx);
  const search = args.search?.trim() || null;
  const offset = args.offset ?? 0;
  const page = await pinnedClient(ctx, t).listPage(annotationsPath(t), annotationSchema, {
    limit: PAGE_SIZE,
    offset,
    query: { search: search ?? undefined },
  });
  const rows = page.results.map((a) => ({
    id: a.id,
    content: a.content ?? '',
    dateMarker: a.date_marker ?? null,
    scope: a.scope ?? 'project',
    createdBy: a.created_by?.email ?? null,
  }));
  const command = search ? `annotations "${search.replace(/"/g, '')}"` : 'annotations';
  return annotationsMessage({ rows, projectName: t.projectName, search, offset, total: page.count, nextOffset: page.nextOffset, command });
}

// --- annotation delete (also the Undo of annotate) ---

export const deletePayload = z.object({
  ...pinnedTargetShape,
  id: z.number().int(),
  content: z.string(),
  dateMarker: z.string().nullable(),
  scope: z.string(),
});
export type DeletePayload = z.infer<typeof deletePayload>;

/** PostHog writes microseconds and `+00:00`; Hogbot's own dates (and its Undo commands) use plain ISO UTC. */
function normalized(date: string | null | undefined): string | null {
  const at = date ? new Date(date) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
}

const fingerprintOf = (a: Annotation) => `t${a.updated_at ?? ''}|${a.content ?? ''}|${a.date_marker ?? ''}|${a.deleted ?? false}`;

async function getAnnotation(ctx: CommandContext, t: PinnedTarget, id: number): Promise<Annotation | null> {
  const found = await orNullOn404(() => pinnedClient(ctx, t).request('GET', annotationPath(t, id), annotationSchema));
  return found?.deleted ? null : found;
}

export async function planDeleteAnnotation(ctx: CommandContext, id: number, t?: PinnedTarget): Promise<PlanDraft<DeletePayload> | Message> {
  if (!t) t = await pinTarget(ctx);
  const found = await getAnnotation(ctx, t, id);
  if (!found) throw new CommandError(`No annotation with id \`${id}\` in *${escapeMrkdwn(t.projectName)}*. See \`/ph annotations\`.`);
  const content = found.content ?? '';
  return {
    title: `Delete annotation ${id}`,
    target: [...targetRows(t), { label: 'Annotation', value: `“${truncate(content, 80)}” (id ${id})` }],
    changes: [{ what: 'Deleted', before: 'no', after: 'yes' }],
    payload: { ...t, id, content, dateMarker: normalized(found.date_marker), scope: found.scope ?? 'project' },
    fingerprint: fingerprintOf(found),
    subject: {
      type: 'annotation',
      id: String(id),
      label: truncate(content, 80),
      connectionId: t.connectionId,
      projectId: t.projectId,
      before: { deleted: false, content, date_marker: found.date_marker ?? null },
      after: { deleted: true },
    },
  };
}

/** Confirm's re-read: gone -> a notice; changed since the plan -> a fresh plan; else null (apply). */
export async function checkDeleteAnnotation(
  ctx: CommandContext,
  p: DeletePayload,
  fingerprint: string,
): Promise<PlanDraft<DeletePayload> | Message | null> {
  const found = await getAnnotation(ctx, p, p.id);
  if (!found) return noticeMessage(`Annotation \`${p.id}\` no longer exists. Nothing was changed.`);
  return fingerprintOf(found) === fingerprint ? null : planDeleteAnnotation(ctx, p.id);
}

export async function applyDeleteAnnotation(ctx: CommandContext, p: DeletePayload): Promise<Applied> {
  await pinnedClient(ctx, p).request('PATCH', annotationPath(p, p.id), annotationSchema, { body: { deleted: true } });
  const text = quoted(p.content);
  const command =
    text === null
      ? null
      : `annotate ${text}${p.dateMarker ? ` --date ${p.dateMarker}` : ''} --scope ${p.scope === 'organization' ? 'organization' : 'project'}`;
  // A button value holds 2000 characters: a longer note can't ride on Undo.
  const undo = command !== null && command.length <= 2000 ? command : null;
  return {
    message: outcomeMessage({
      text: `Deleted annotation \`${p.id}\` (“${escapeMrkdwn(truncate(p.content, 200))}”) in *${escapeMrkdwn(p.projectName)}*.`,
      undo,
    }),
    after: { deleted: true },
  };
}
