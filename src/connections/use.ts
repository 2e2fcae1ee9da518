/** `/ph connection use`: a write like any other (plan, Confirm, audit, Undo). */
import { z } from 'zod';
import { outcomeMessage } from '../../views/audit.js';
import type { Message } from '../../views/blocks.js';
import { connectionChosenText } from '../../views/connections.js';
import { noticeMessage } from '../../views/flags.js';
import { CommandError } from '../errors.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { type ConnectionAccess, connectionAccess } from '../tenancy.js';
import { connectionId, isHome, noSuchConnection, visibleConnection } from './visible.js';

export const usePayload = z.object({ id: connectionId, previous: z.string().nullable() });
export type UsePayload = z.infer<typeof usePayload>;

const fingerprintOf = (connectionId: string | null, access: ConnectionAccess['kind']) => `${connectionId ?? '-'}:${access}`;

export async function planUse(ctx: CommandContext, id: string): Promise<PlanDraft<UsePayload> | Message> {
  const [{ connection, access }, workspace] = await Promise.all([visibleConnection(ctx, id), ctx.workspace()]);
  if (connection.status !== 'ACTIVE') {
    throw new CommandError(
      `Connection \`${id}\` is ${connection.status}, not ACTIVE. Finish its authorization first (\`/ph connection show ${id}\`).`,
    );
  }
  if (workspace.connectionId === id) return noticeMessage(`This workspace already uses connection \`${id}\`. Nothing to do.`);
  const previous = workspace.connectionId;
  const none = isHome(ctx) ? 'gateway default' : 'none';
  return {
    title: `Use connection ${id} in this workspace`,
    target: [
      { label: 'Workspace', value: ctx.teamId },
      { label: 'Maton connection', value: id },
      { label: 'Status', value: connection.status },
    ],
    changes: [
      { what: 'Connection', before: previous ?? none, after: id },
      {
        what: 'Project',
        before: workspace.projectId === null ? 'PostHog’s default' : String(workspace.projectId),
        after: 'PostHog’s default (pick one with /ph projects)',
      },
    ],
    ...(access.kind === 'unowned'
      ? {
          warning:
            'No workspace owns this connection yet: using it makes it this workspace’s, and other workspaces can no longer see or use it.',
        }
      : {}),
    payload: { id, previous },
    fingerprint: fingerprintOf(previous, access.kind),
    subject: {
      type: 'setting',
      id: 'connection',
      label: 'PostHog connection',
      connectionId: id,
      before: { connectionId: previous },
      after: { connectionId: id },
    },
  };
}

export async function checkUse(ctx: CommandContext, p: UsePayload, fingerprint: string): Promise<PlanDraft<UsePayload> | Message | null> {
  const [workspace, access] = await Promise.all([ctx.workspace(), connectionAccess(ctx.store, ctx.teamId, p.id, ctx.homeTeam)]);
  return fingerprintOf(workspace.connectionId, access.kind) === fingerprint ? null : planUse(ctx, p.id);
}

export async function applyUse(ctx: CommandContext, p: UsePayload) {
  // Claimed at Confirm, atomically: of two workspaces confirming the same unowned connection, one gets it.
  const access = await connectionAccess(ctx.store, ctx.teamId, p.id, ctx.homeTeam);
  if (access.kind === 'foreign') throw noSuchConnection(p.id);
  if (access.kind === 'unowned') {
    const owner = await ctx.store.claimConnection({
      connectionId: p.id,
      teamId: ctx.teamId,
      enterpriseId: ctx.enterpriseId,
      claimedBy: ctx.userId,
      claimedAt: ctx.now(),
      how: 'chosen',
    });
    if (owner.teamId !== ctx.teamId) throw noSuchConnection(p.id);
  }
  await ctx.store.setWorkspaceConnection(ctx.teamId, p.id, ctx.userId, ctx.now());
  return {
    message: outcomeMessage({ text: connectionChosenText(p.id), undo: p.previous ? `connection use ${p.previous}` : null }),
    after: { connectionId: p.id },
  };
}
