/**
 * The `/ph digest` family: what each command is called, takes and needs. The substance (parsing, checks, plans,
 * deliveries) is in src/digests/.
 */
import { z } from 'zod';
import { DIGEST_MODAL_CALLBACK, DIGEST_PAUSE_ACTION, DIGEST_RESUME_ACTION, DIGEST_RUN_ACTION } from '../views/digest.js';
import type { Message } from '../views/blocks.js';
import { applyCreate, createPayload, planCreate, planFromWords } from '../src/digests/create.js';
import { type DigestFormData, openDigestForm, readDigestForm } from '../src/digests/form.js';
import { applyDelete, digestId, listDigests, planDelete, runDigestNow, showDigest } from '../src/digests/manage.js';
import { CommandError } from '../src/errors.js';
import { planWrite, proposePlan } from '../src/plans/propose.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineAction, defineModal } from '../src/registry/interaction.js';
import { requireRole } from '../src/scheduler/inputs.js';
import { applyPause, pausePayload, planPause } from '../src/scheduler/pause.js';
import { homeAware } from '../src/slack/home.js';

const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .optional();

const add = defineCommand({
  name: 'digest add',
  summary: 'Schedule a digest of saved queries, insights, flag changes and experiments (no arguments opens a form)',
  usage:
    '[daily|weekly <weekday>|monthly <day>] <time> [#channel] ["Title"] [--tz Zone] [--queries a,b] [--insights 1,2] [--flags] [--experiments]',
  examples: [
    '/ph digest add',
    '/ph digest add daily 09:00 #growth "Growth"',
    '/ph digest add weekly monday 9am #growth "Weekly growth" --queries signups --insights 40001 --flags',
  ],
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
  plan: async (ctx, args) => (args.spec?.trim() ? planFromWords(ctx, args.spec, args) : openDigestForm(ctx)),
  apply: async (ctx, payload) => applyCreate(ctx, payload),
});

const list = defineCommand({
  name: 'digest list',
  aliases: ['digests'],
  summary: 'This workspace’s digests',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => listDigests(ctx),
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

const run = defineCommand({
  name: 'digest run',
  summary: 'Deliver a digest now, outside its schedule',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: false,
  role: 'writer',
  run: async (ctx, { id }) => runDigestNow(ctx, id),
});

const pause = defineCommand({
  name: 'digest pause',
  summary: 'Stop a digest’s deliveries until resumed',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: true,
  confirm: 'skip',
  role: 'writer',
  payload: pausePayload,
  plan: (ctx, { id }) => planPause(ctx, 'digest', id, true),
  apply: (ctx, p) => applyPause(ctx, 'digest', p),
});

const resume = defineCommand({
  name: 'digest resume',
  summary: 'Resume a paused digest from its next scheduled time',
  usage: '<id>',
  args: z.object({ id: digestId }),
  positional: ['id'],
  mutates: true,
  confirm: 'skip',
  role: 'writer',
  payload: pausePayload,
  plan: (ctx, { id }) => planPause(ctx, 'digest', id, false),
  apply: (ctx, p) => applyPause(ctx, 'digest', p),
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
  plan: async (ctx, { id }) => planDelete(ctx, id),
  apply: async (ctx, { id }) => applyDelete(ctx, id),
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

const form = defineModal<DigestFormData>({
  callbackId: DIGEST_MODAL_CALLBACK,
  role: add.role,
  validate: readDigestForm,
  async submit(ctx, data) {
    return proposePlan(ctx, add, await planCreate(ctx, data.payload));
  },
});

export const interactions = [
  digestButton(DIGEST_RUN_ACTION, 'Running a digest', runDigestNow),
  digestButton(DIGEST_PAUSE_ACTION, 'Pausing a digest', async (ctx, id) => planWrite(ctx, pause, { id })),
  digestButton(DIGEST_RESUME_ACTION, 'Resuming a digest', async (ctx, id) => planWrite(ctx, resume, { id })),
  form,
];

export default [add, list, show, run, pause, resume, remove];
