import { z } from 'zod';
import { auditChannelSetMessage, auditChannelWelcome, auditListMessage, LINK_ACTION } from '../views/audit.js';
import { fitMessage, type Message } from '../views/blocks.js';
import { noticeMessage } from '../views/flags.js';
import { CommandError } from '../src/errors.js';
import { type CommandContext, defineCommand, type PlanDraft } from '../src/registry/command.js';
import { defineAction } from '../src/registry/interaction.js';
import { slackErrorCode } from '../src/slack-error.js';

const DEFAULT_COUNT = 10;

/**
 * A channel as `/ph` receives one: `<#C123|growth>` (the manifest sets should_escape), `<#C123>`, a bare id, or
 * `off` / `none` to stop posting.
 */
const channelArg = z.string().transform((value, issue) => {
  if (['off', 'none'].includes(value.toLowerCase())) return { id: null, name: null };
  const match = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(value) ?? /^([CG][A-Z0-9]{4,})$/.exec(value);
  if (!match) {
    issue.addIssue({ code: 'custom', message: 'is a channel: pick one with #, like #growth (or `off`)' });
    return z.NEVER;
  }
  return { id: match[1]!, name: match[2] || null };
});

const list = defineCommand({
  name: 'audit',
  summary: 'Recent changes made through Hogbot here: who, when, where, before and after',
  usage: '[n]',
  examples: ['/ph audit 20'],
  args: z.object({
    n: z.coerce.number().int().min(1, 'is how many changes, from 1').max(50, 'is at most 50').optional(),
    offset: z.coerce.number().int().min(0).optional(),
  }),
  positional: ['n'],
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    const count = args.n ?? DEFAULT_COUNT;
    const offset = args.offset ?? 0;
    const [rows, policy] = await Promise.all([
      ctx.store.listAudit(ctx.teamId, { limit: count + 1, offset }),
      ctx.store.getPolicy(ctx.teamId),
    ]);
    const entries = rows.slice(0, count);
    return auditListMessage({
      entries,
      offset,
      nextOffset: rows.length > count ? offset + count : null,
      command: `audit ${count}`,
      auditChannelId: policy.auditChannelId,
    });
  },
});

const channelPayload = z.object({ channelId: z.string().nullable(), previous: z.string().nullable() });
type ChannelPayload = z.infer<typeof channelPayload>;

const label = (id: string | null, name: string | null = null) => (id === null ? 'none' : name ? `#${name} (${id})` : id);

async function planChannel(
  ctx: CommandContext,
  channel: { id: string | null; name: string | null },
): Promise<PlanDraft<ChannelPayload> | Message> {
  const { auditChannelId } = await ctx.store.getPolicy(ctx.teamId);
  if (auditChannelId === channel.id)
    return noticeMessage(
      channel.id ? `Changes already go to <#${channel.id}>. Nothing to do.` : 'There is no audit channel. Nothing to do.',
    );
  return {
    title: channel.id ? `Post every change to ${label(channel.id, channel.name)}` : 'Stop posting changes to an audit channel',
    target: [{ label: 'Workspace', value: ctx.teamId }],
    changes: [{ what: 'Audit channel', before: label(auditChannelId), after: label(channel.id, channel.name) }],
    warning: channel.id
      ? 'Hogbot posts a first message there now; a private channel must invite Hogbot first.'
      : 'Changes stay recorded: `/ph audit` lists them.',
    payload: { channelId: channel.id, previous: auditChannelId },
    fingerprint: auditChannelId ?? 'none',
    subject: {
      type: 'setting',
      id: 'audit_channel',
      label: 'audit channel',
      before: { auditChannelId },
      after: { auditChannelId: channel.id },
    },
  };
}

const channel = defineCommand({
  name: 'audit channel',
  summary: 'Also post every change to a channel (or `off`)',
  usage: '#channel|off',
  examples: ['/ph audit channel #hogbot-audit'],
  args: z.object({ channel: channelArg }),
  positional: ['channel'],
  mutates: true,
  role: 'admin',
  payload: channelPayload,
  plan: (ctx, args) => planChannel(ctx, args.channel),
  check: async (ctx, p, fingerprint) =>
    ((await ctx.store.getPolicy(ctx.teamId)).auditChannelId ?? 'none') === fingerprint
      ? null
      : planChannel(ctx, { id: p.channelId, name: null }),
  apply: async (ctx, p) => {
    if (p.channelId) {
      // Proves Hogbot can post there before relying on it.
      try {
        await ctx.slack.chat.postMessage({ channel: p.channelId, ...fitMessage(auditChannelWelcome({ byUserId: ctx.userId })) });
      } catch (error) {
        const code = slackErrorCode(error) ?? 'Slack refused the post';
        throw new CommandError(`Hogbot can’t post in <#${p.channelId}> (${code}): invite it to the channel first. Nothing was changed.`);
      }
    }
    await ctx.store.setAuditChannel(ctx.teamId, p.channelId, ctx.userId, ctx.now());
    return auditChannelSetMessage({ channelId: p.channelId, undo: p.previous ? `audit channel <#${p.previous}>` : 'audit channel off' });
  },
});

export const interactions = [
  // Undo runs the inverse command as the clicker: it plans, and needs Confirm (and their role), like any write.
  defineAction({ actionId: LINK_ACTION, run: async () => null }),
];

export default [list, channel];
