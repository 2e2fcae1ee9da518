/** The digests that exist: listing, showing, running now, pausing and resuming, deleting. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { digestCardMessage, digestDoneMessage, digestListMessage } from '../../views/digest.js';
import { problemMessage } from '../../views/feedback.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { cadenceSchema, describeCadence } from '../scheduler/cadence.js';
import { digestRow } from '../scheduler/digest.js';
import { findSchedule, runtimeFor, SCHEDULE_ID } from '../scheduler/inputs.js';

export const digestId = z.string().regex(SCHEDULE_ID, 'is not a digest id (see `/ph digest list`)');

export async function listDigests(ctx: CommandContext): Promise<Message> {
  return digestListMessage({ digests: (await ctx.store.schedules.listSchedules(ctx.teamId, 'digest')).map(digestRow) });
}

export async function showDigest(ctx: CommandContext, id: string): Promise<Message> {
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

/** Delivers outside the schedule, recorded as its own delivery so it never takes a scheduled period's place. */
export async function runDigestNow(ctx: CommandContext, id: string): Promise<Message> {
  const digest = await findSchedule(ctx, 'digest', id);
  const now = ctx.now();
  const key = `manual:${now.toISOString()}:${ctx.userId}`;
  await ctx.store.schedules.recordManualDelivery(digest.id, key, now);
  const result = await runtimeFor(ctx).deliverDigest(digest, now, { manualBy: ctx.userId });
  await ctx.store.schedules.finishDelivery(digest.id, key, result.ok ? 'sent' : 'failed', ctx.now(), { summary: result.summary });
  if (!result.ok) return problemMessage(`Digest *${digest.title}* could not be delivered: ${result.summary}`);
  return digestDoneMessage(`Digest *${digest.title}* posted in <#${digest.channelId}> (${result.summary}).`);
}

export async function planDelete(ctx: CommandContext, id: string): Promise<PlanDraft<{ id: string }>> {
  const digest = await findSchedule(ctx, 'digest', id);
  return {
    title: `Delete digest “${digest.title}”`,
    target: [
      { label: 'Digest', value: `${digest.title} (${digest.id})` },
      { label: 'Channel', value: digest.channelId },
    ],
    changes: [{ what: 'Digest', before: describeCadence(cadenceSchema.parse(digest.cadence)), after: 'deleted' }],
    payload: { id: digest.id },
    subject: {
      type: 'digest',
      id: digest.id,
      label: digest.title,
      before: { channelId: digest.channelId, cadence: digest.cadence, spec: digest.spec },
      after: null,
    },
  };
}

export async function applyDelete(ctx: CommandContext, id: string): Promise<Message> {
  const digest = await findSchedule(ctx, 'digest', id);
  await ctx.store.schedules.deleteSchedule(ctx.teamId, digest.id);
  return digestDoneMessage(`Deleted digest *${digest.title}* (\`${digest.id}\`). Nothing more will be posted.`);
}
