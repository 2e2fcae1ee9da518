/** The `/ph access` family: what each command takes and who may run it. The work is in src/access/ (the role rule itself is src/access.ts). */
import { z } from 'zod';
import {
  applyApprovals,
  applyGuests,
  approvalsPayload,
  checkApprovals,
  checkGuests,
  guestsPayload,
  planApprovals,
  planGuests,
} from '../src/access/policy.js';
import { applyRole, planRole, roleCheck, rolePayload, showAccess, slackUser } from '../src/access/roles.js';
import { defineCommand } from '../src/registry/command.js';

const show = defineCommand({
  name: 'access',
  summary: 'Who may change what here: your role, granted roles, approvals and the audit channel',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: (ctx) => showAccess(ctx),
});

// --- grant / revoke ---

const grant = defineCommand({
  name: 'access grant',
  summary: 'Give someone the writer or admin role in Hogbot',
  usage: '@user writer|admin',
  examples: ['/ph access grant @max writer'],
  args: z.object({
    user: slackUser,
    role: z.enum(['writer', 'admin'], { message: 'is writer or admin (use `/ph access revoke` to make someone a reader)' }),
  }),
  positional: ['user', 'role'],
  mutates: true,
  role: 'admin',
  payload: rolePayload,
  plan: (ctx, args) => planRole(ctx, args.user, args.role),
  check: roleCheck,
  apply: applyRole,
});

const revoke = defineCommand({
  name: 'access revoke',
  summary: 'Take someone’s granted role away (they read again)',
  usage: '@user',
  args: z.object({ user: slackUser }),
  positional: ['user'],
  mutates: true,
  role: 'admin',
  payload: rolePayload,
  plan: (ctx, args) => planRole(ctx, args.user, 'reader'),
  check: roleCheck,
  apply: applyRole,
});

// --- approvals ---

const approvals = defineCommand({
  name: 'access approvals',
  summary: 'Require a second writer or admin to approve each writer’s change (on) or not (off)',
  usage: 'on|off',
  args: z.object({ state: z.enum(['on', 'off'], { message: 'is on or off' }) }),
  positional: ['state'],
  mutates: true,
  role: 'admin',
  payload: approvalsPayload,
  plan: (ctx, { state }) => planApprovals(ctx, state === 'on'),
  check: checkApprovals,
  apply: applyApprovals,
});

// --- guests ---

const guests = defineCommand({
  name: 'access guests',
  summary: 'Let Slack guests read PostHog data here (on) or not (off, the default); guests never write',
  usage: 'on|off',
  args: z.object({ state: z.enum(['on', 'off'], { message: 'is on or off' }) }),
  positional: ['state'],
  mutates: true,
  role: 'admin',
  payload: guestsPayload,
  plan: (ctx, { state }) => planGuests(ctx, state === 'on'),
  check: checkGuests,
  apply: applyGuests,
});

export default [show, grant, revoke, approvals, guests];
