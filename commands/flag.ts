/** The `/ph flag` family: what each command takes and who may run it. The work is in src/flags/, the views in views/flags.ts. */
import { z } from 'zod';
import { FLAG_CREATE_CALLBACK, FLAG_ROLLOUT_GROUP_ACTION } from '../views/flags.js';
import { dispatch } from '../src/dispatch.js';
import { CommandError } from '../src/errors.js';
import {
  applyCreate,
  checkCreate,
  type CreateSpec,
  createErrorsText,
  createPayload,
  planCreate,
  validateCreate,
} from '../src/flags/create.js';
import { onOff } from '../src/flags/flag.js';
import { flagCheck } from '../src/flags/lookup.js';
import { openCreateForm, submitCreateForm, validateCreateForm } from '../src/flags/modal.js';
import { listFlags, showFlag } from '../src/flags/read.js';
import { applyRollout, planRollout, type RolloutPayload, rolloutPayload } from '../src/flags/rollout.js';
import {
  applyDelete,
  applyRestore,
  applyToggle,
  planDelete,
  planRestore,
  planToggle,
  refPayload,
  type TogglePayload,
  togglePayload,
} from '../src/flags/state.js';
import { renderHelp } from '../src/help.js';
import { defineCommand } from '../src/registry/command.js';
import { defineAction, defineModal } from '../src/registry/interaction.js';

// Importable from here as before (tests, other families).
export { type CreateSpec, parseVariants, validateCreate } from '../src/flags/create.js';
export { fingerprintOf } from '../src/flags/flag.js';

const flagKey = z.string().min(1).max(400);
/** `50`, `50%`; PostHog takes whole percentages from 0 to 100. */
const percent = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace(/%$/, '') : v),
  z.coerce
    .number({ message: 'must be a number from 0 to 100' })
    .int('must be a whole number from 0 to 100')
    .min(0, 'must be from 0 to 100')
    .max(100, 'must be from 0 to 100 (a share of users)'),
);

// --- Reading ---

const list = defineCommand({
  name: 'flag list',
  aliases: ['flags'],
  summary: 'Feature flags in the project, newest first',
  usage: '[search] [--active|--inactive]',
  examples: ['/ph flag list checkout --active'],
  args: z.object({
    search: z.string().optional(),
    active: z.boolean().optional(),
    inactive: z.boolean().optional(),
    offset: z.coerce.number().int().min(0).optional(),
  }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: (ctx, args) => listFlags(ctx, args),
});

const show = defineCommand({
  name: 'flag show',
  aliases: ['flag'],
  summary: 'One flag: status, rollout per release condition, variants, payloads, last change',
  usage: '<key>',
  examples: ['/ph flag dark-mode'],
  args: z.object({ key: flagKey.optional() }),
  positional: ['key'],
  mutates: false,
  role: 'reader',
  run: async (ctx, { key }) => (key ? showFlag(ctx, key) : renderHelp(ctx.registry, 'flag')),
});

// --- Writes: each plans against the flag as it is now; Confirm re-reads it (flagCheck) and re-plans if it changed ---

function toggle(active: boolean) {
  const word = onOff(active);
  return defineCommand({
    name: `flag ${word}`,
    summary: active ? 'Turn a flag on (its release conditions apply again)' : 'Turn a flag off for everyone',
    usage: '<key>',
    examples: [`/ph flag ${word} dark-mode`],
    args: z.object({ key: flagKey }),
    positional: ['key'],
    mutates: true,
    role: 'writer',
    payload: togglePayload,
    plan: (ctx, { key }) => planToggle(ctx, key, active),
    check: flagCheck((ctx, p: TogglePayload) => planToggle(ctx, p.key, p.active)),
    apply: applyToggle,
  });
}

const rollout = defineCommand({
  name: 'flag rollout',
  summary: 'Set the share of users a flag’s release condition reaches',
  usage: '<key> <0-100> [--group N]',
  examples: ['/ph flag rollout ai-insights 25', '/ph flag rollout beta-dashboard 50 --group 2'],
  args: z.object({ key: flagKey, percent, group: z.coerce.number().int().min(1, 'is a release condition number, from 1').optional() }),
  positional: ['key', 'percent'],
  mutates: true,
  role: 'writer',
  payload: rolloutPayload,
  plan: (ctx, args) => planRollout(ctx, args.key, args.percent, args.group),
  check: flagCheck((ctx, p: RolloutPayload) => planRollout(ctx, p.key, p.percent, p.group + 1)),
  apply: applyRollout,
});

const create = defineCommand({
  name: 'flag create',
  summary: 'Create a flag (no arguments: open the full form, with variants)',
  usage: '[key] [--rollout N] [--name "..."] [--variants "control=50,test=50"]',
  examples: ['/ph flag create new-checkout --rollout 10 --name "New checkout"', '/ph flag create'],
  args: z.object({
    key: z.string().optional(),
    rollout: z.string().optional(),
    name: z.string().max(400).optional(),
    variants: z.string().optional(),
  }),
  positional: ['key'],
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx, args) => {
    if (!args.key) return openCreateForm(ctx);
    const checked = validateCreate(args);
    if ('errors' in checked) throw new CommandError(createErrorsText(checked.errors));
    return planCreate(ctx, checked.data);
  },
  check: checkCreate,
  apply: applyCreate,
});

const remove = defineCommand({
  name: 'flag delete',
  summary: 'Delete a flag (soft delete: Undo restores it)',
  usage: '<key>',
  args: z.object({ key: flagKey }),
  positional: ['key'],
  mutates: true,
  role: 'writer',
  payload: refPayload,
  plan: (ctx, { key }) => planDelete(ctx, key),
  check: flagCheck((ctx, p) => planDelete(ctx, p.key)),
  apply: applyDelete,
});

const restore = defineCommand({
  name: 'flag restore',
  summary: 'Bring back a deleted flag, by the id its deletion showed',
  usage: '<id>',
  args: z.object({ id: z.coerce.number().int().positive('is a flag id') }),
  positional: ['id'],
  mutates: true,
  role: 'writer',
  payload: refPayload,
  plan: (ctx, { id }) => planRestore(ctx, id),
  check: flagCheck((ctx, p) => planRestore(ctx, p.flagId)),
  apply: applyRestore,
});

// --- The rollout condition picker and the create form ---

export const interactions = [
  defineAction({
    actionId: FLAG_ROLLOUT_GROUP_ACTION,
    // Each option's value is the full `flag rollout … --group N` command: run it as if typed.
    run: async (ctx, input) => {
      if (!input.value?.startsWith('flag rollout ')) return null;
      return { message: (await dispatch(ctx, input.value)).message, replace: true };
    },
  }),
  defineModal<CreateSpec>({
    callbackId: FLAG_CREATE_CALLBACK,
    role: create.role,
    validate: validateCreateForm,
    submit: (ctx, spec) => submitCreateForm(ctx, create, spec),
  }),
];

export default [list, show, toggle(true), toggle(false), rollout, create, remove, restore];
