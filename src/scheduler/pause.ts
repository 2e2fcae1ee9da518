/**
 * Pausing and resuming a digest or an alert: a low-risk setting of Hogbot's own, so its command skips Confirm
 * (`confirm: 'skip'`) but still goes through the plan pipeline: stored, applied once, audited, with Undo.
 */
import { z } from 'zod';
import { undoButton } from '../../views/audit.js';
import { actions, type Message } from '../../views/blocks.js';
import { digestDoneMessage } from '../../views/digest.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import type { ScheduleKind } from '../store/schedules.js';
import { cadenceSchema, nextOccurrence } from './cadence.js';
import { findSchedule, SCHEDULE_ID } from './inputs.js';

export const pausePayload = z.object({ id: z.string().regex(SCHEDULE_ID), paused: z.boolean() });
export type PausePayload = z.infer<typeof pausePayload>;

// Digests and alerts answer alike (a check mark and the text).
const done = digestDoneMessage;

export async function planPause(
  ctx: CommandContext,
  kind: ScheduleKind,
  id: string,
  paused: boolean,
): Promise<PlanDraft<PausePayload> | Message> {
  const schedule = await findSchedule(ctx, kind, id);
  const label = kind === 'digest' ? 'Digest' : 'Alert';
  if (schedule.paused === paused) return done(`${label} *${schedule.title}* is already ${paused ? 'paused' : 'running'}.`);
  return {
    title: `${paused ? 'Pause' : 'Resume'} ${kind} “${schedule.title}”`,
    target: [{ label, value: `${schedule.title} (${schedule.id})` }],
    changes: [{ what: 'State', before: schedule.paused ? 'paused' : 'running', after: paused ? 'paused' : 'running' }],
    payload: { id: schedule.id, paused },
    subject: { type: kind, id: schedule.id, label: schedule.title, before: { paused: schedule.paused }, after: { paused } },
  };
}

export async function applyPause(ctx: CommandContext, kind: ScheduleKind, p: PausePayload): Promise<Applied> {
  const schedule = await findSchedule(ctx, kind, p.id);
  // Resuming starts from the next run: nothing missed while paused is delivered.
  const next = p.paused ? undefined : nextOccurrence(cadenceSchema.parse(schedule.cadence), ctx.now());
  await ctx.store.schedules.setPaused(ctx.teamId, schedule.id, p.paused, next);
  const text = p.paused
    ? `Paused ${kind} *${schedule.title}*. Resume with \`/ph ${kind} resume ${schedule.id}\`.`
    : kind === 'digest'
      ? `Resumed digest *${schedule.title}*: next delivery ${next!.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
      : `Resumed alert *${schedule.title}*.`;
  const message = done(text);
  const undo = `${kind} ${p.paused ? 'resume' : 'pause'} ${schedule.id}`;
  return {
    message: { ...message, blocks: [...(message.blocks ?? []), actions(undefined, [undoButton(undo)])] },
    after: { paused: p.paused },
  };
}
