/** `/ph connection assign`: Enterprise Grid org admins lend one workspace's connection to another of the same enterprise. */
import { z } from 'zod';
import { outcomeMessage } from '../../views/audit.js';
import type { Message } from '../../views/blocks.js';
import { connectionChosenText } from '../../views/connections.js';
import { noticeMessage } from '../../views/flags.js';
import { CommandError } from '../errors.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { connectionAccess, isOrgAdmin } from '../tenancy.js';
import { connectionId, fetchConnection, isHome, noSuchConnection } from './visible.js';

export const assignPayload = z.object({ id: connectionId, ownerTeamId: z.string(), previous: z.string().nullable() });
export type AssignPayload = z.infer<typeof assignPayload>;

/**
 * The owner of a connection this org admin may lend here: another workspace's, of this same Enterprise Grid. Anyone
 * else is answered as if it did not exist, like every other command about another workspace's connection.
 */
async function lendable(ctx: CommandContext, id: string) {
  const access = await connectionAccess(ctx.store, ctx.teamId, id, ctx.homeTeam);
  if (access.kind === 'owner' || access.kind === 'assigned') return { access, owner: access.owner };
  if (access.kind === 'unowned') throw new CommandError(`No workspace owns \`${id}\` yet: take it with \`/ph connection use ${id}\`.`);
  const owner = access.owner;
  const sameGrid = owner !== null && ctx.enterpriseId !== null && owner.enterpriseId === ctx.enterpriseId;
  if (!sameGrid || !(await isOrgAdmin(ctx.slack, ctx.userId, ctx.enterpriseId!))) throw noSuchConnection(id);
  return { access, owner };
}

export async function planAssign(ctx: CommandContext, id: string): Promise<PlanDraft<AssignPayload> | Message> {
  const [{ access, owner }, workspace] = await Promise.all([lendable(ctx, id), ctx.workspace()]);
  if (access.kind !== 'foreign')
    return noticeMessage(`Connection \`${id}\` is already this workspace’s to use: \`/ph connection use ${id}\`.`);
  const connection = await fetchConnection(ctx, id);
  if (connection.status !== 'ACTIVE')
    throw new CommandError(`Connection \`${id}\` is ${connection.status}, not ACTIVE: its workspace must finish authorizing it first.`);
  return {
    title: `Assign connection ${id} to this workspace`,
    target: [
      { label: 'Workspace', value: ctx.teamId },
      { label: 'Maton connection', value: `${id} (owned by workspace ${owner.teamId})` },
      { label: 'Enterprise', value: ctx.enterpriseId ?? '' },
    ],
    changes: [
      { what: 'Connection', before: workspace.connectionId ?? (isHome(ctx) ? 'gateway default' : 'none'), after: id },
      {
        what: 'Project',
        before: workspace.projectId === null ? 'PostHog’s default' : String(workspace.projectId),
        after: 'PostHog’s default',
      },
    ],
    warning: `Everyone in this workspace will read, and writers change, the PostHog account of workspace ${owner.teamId}. It stays that workspace’s: only it can disconnect it.`,
    payload: { id, ownerTeamId: owner.teamId, previous: workspace.connectionId },
    subject: {
      type: 'setting',
      id: 'connection',
      label: 'PostHog connection (assigned by an org admin)',
      connectionId: id,
      before: { connectionId: workspace.connectionId },
      after: { connectionId: id, ownerTeamId: owner.teamId },
    },
  };
}

export async function applyAssign(ctx: CommandContext, p: AssignPayload) {
  // Checked again at Confirm: the confirmer must be an org admin of the owner's enterprise too.
  const { owner } = await lendable(ctx, p.id);
  if (owner.teamId !== p.ownerTeamId && owner.teamId !== ctx.teamId) throw noSuchConnection(p.id);
  if (owner.teamId !== ctx.teamId) await ctx.store.assignConnection(p.id, ctx.teamId, ctx.userId, ctx.now());
  await ctx.store.setWorkspaceConnection(ctx.teamId, p.id, ctx.userId, ctx.now());
  return {
    message: outcomeMessage({ text: connectionChosenText(p.id), undo: p.previous ? `connection use ${p.previous}` : null }),
    after: { connectionId: p.id },
  };
}
