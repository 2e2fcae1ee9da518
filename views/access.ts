import type { RoleSource } from '../src/access.js';
import type { Role, RoleGrant } from '../src/store/store.js';
import { context, fields, header, type KnownBlock, type Message, section } from './blocks.js';
import { slackDate } from './audit.js';

const SOURCE: Record<RoleSource, string> = {
  slack_admin: 'as a Slack workspace admin or owner',
  grant: 'granted in Hogbot',
  default: 'everyone starts as a reader',
  guest: 'as a Slack guest (guests only ever read)',
  unknown: 'because Slack could not confirm your account (treated as a guest)',
};

const ROLE_MEANS: Record<Role, string> = {
  reader: 'can read and query',
  writer: 'can also change flags and annotations (each change confirmed)',
  admin: 'can also manage roles, approvals, the audit channel and the workspace’s connection and project',
};

export function accessMessage(m: {
  you: { userId: string; role: Role; source: RoleSource };
  grants: RoleGrant[];
  approvalsRequired: boolean;
  auditChannelId: string | null;
  guestsAllowed: boolean;
}): Message {
  const grants =
    m.grants.length > 0
      ? m.grants.map((g) => `• <@${g.userId}>: *${g.role}* (by <@${g.grantedBy}>, ${slackDate(g.grantedAt)})`).join('\n')
      : '_Nobody has been granted a role yet._';
  const blocks: KnownBlock[] = [
    header('Hogbot access in this workspace'),
    section(`You (<@${m.you.userId}>) are a *${m.you.role}*, ${SOURCE[m.you.source]}: you ${ROLE_MEANS[m.you.role]}.`),
    section(`*Granted roles*\n${grants}`),
    fields([
      ['Slack admins and owners', 'always Hogbot admins'],
      ['Everyone else', 'reader, until granted writer or admin'],
      ['Approvals', m.approvalsRequired ? 'on: a writer’s change waits for a second writer or admin' : 'off: Confirm applies the change'],
      ['Audit channel', m.auditChannelId ? `<#${m.auditChannelId}>` : 'none (`/ph audit` still lists every change)'],
      ['Slack guests', m.guestsAllowed ? 'may read PostHog data (never change anything)' : 'see no PostHog data'],
    ]),
    context(
      'Admins: `/ph access grant @user writer|admin`, `/ph access revoke @user`, `/ph access approvals on|off`, `/ph access guests on|off`, `/ph audit channel #channel`.',
    ),
  ];
  return { text: `You are a Hogbot ${m.you.role} in this workspace`, blocks };
}

export function roleText(m: { userId: string; role: Role }): string {
  return `<@${m.userId}> is now a Hogbot *${m.role}* in this workspace: they ${ROLE_MEANS[m.role]}.`;
}

export function approvalsText(on: boolean): string {
  return on
    ? 'Approvals are *on*: a writer’s change now waits for a second writer or admin to approve it, in a thread under its plan.'
    : 'Approvals are *off*: a confirmed change is applied at once.';
}

export function guestsText(on: boolean): string {
  return on
    ? 'Slack guests may now *read* PostHog data here (people, recordings, queries, link previews); they still can’t change anything.'
    : 'Slack guests now see *no* PostHog data here: their commands are refused and links they post are not previewed.';
}
