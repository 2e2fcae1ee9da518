/** The `/ph alert` family: what each command takes and who may run it. The work is in src/alerts/ and src/scheduler/. */
import { z } from 'zod';
import { ALERT_PAUSE_ACTION, ALERT_RESUME_ACTION, alertListMessage } from '../views/alert.js';
import { applyAdd, applyDelete, createPayload, planAdd, planDelete } from '../src/alerts/alerts.js';
import { CommandError } from '../src/errors.js';
import { planWrite } from '../src/plans/propose.js';
import { defineCommand } from '../src/registry/command.js';
import { defineAction } from '../src/registry/interaction.js';
import { alertRow } from '../src/scheduler/alert.js';
import { requireRole, SCHEDULE_ID } from '../src/scheduler/inputs.js';
import { applyPause, pausePayload, planPause } from '../src/scheduler/pause.js';
import { homeAware } from '../src/slack/home.js';

const alertId = z.string().regex(SCHEDULE_ID, 'is not an alert id (see `/ph alert list`)');

const add = defineCommand({
  name: 'alert add',
  summary: 'Post when a HogQL number crosses a threshold, and when it clears (checked hourly, or daily at 09:00 your time)',
  usage: '"<HogQL returning one number>" --above N|--below N [--every hour|day] [--channel #x] [--name "Title"] [--tz Zone]',
  examples: [
    '/ph alert add "SELECT count() FROM events WHERE event = \'$pageview\' AND timestamp > now() - INTERVAL 1 HOUR" --below 10 --every hour --channel #growth --name "Pageviews per hour"',
  ],
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
  plan: planAdd,
  apply: applyAdd,
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
  plan: (ctx, { id }) => planDelete(ctx, id),
  apply: (ctx, { id }) => applyDelete(ctx, id),
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
