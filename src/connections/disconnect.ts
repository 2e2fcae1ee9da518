/** `/ph connection disconnect`: delete one of this workspace's connections from the Maton account. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { connectionDeletedMessage } from '../../views/connections.js';
import { CommandError } from '../errors.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { connectionAccess } from '../tenancy.js';
import { connectionId, isHome, noSuchConnection, visibleConnection } from './visible.js';

export const disconnectPayload = z.object({ id: connectionId });
export type DisconnectPayload = z.infer<typeof disconnectPayload>;

export async function planDisconnect(ctx: CommandContext, id: string): Promise<PlanDraft<DisconnectPayload>> {
  const [{ connection, access }, workspace] = await Promise.all([visibleConnection(ctx, id), ctx.workspace()]);
  if (access.kind === 'assigned')
    throw new CommandError(
      `Connection \`${id}\` was lent to this workspace by another workspace of your organization: only that workspace can disconnect it.`,
    );
  if (access.kind === 'unowned' && !isHome(ctx)) throw noSuchConnection(id);
  return {
    title: `Disconnect ${id}`,
    target: [
      { label: 'Maton connection', value: id },
      { label: 'Status', value: connection.status },
    ],
    changes: [{ what: 'Connection', before: 'exists', after: 'deleted' }],
    warning:
      workspace.connectionId === id
        ? isHome(ctx)
          ? 'This workspace uses this connection: it will fall back to the gateway’s default connection.'
          : 'This workspace uses this connection: it will have none until an admin connects PostHog again.'
        : 'Every workspace and tool using this connection loses access to its PostHog account.',
    payload: { id },
  };
}

export async function applyDisconnect(ctx: CommandContext, { id }: DisconnectPayload): Promise<Message> {
  const access = await connectionAccess(ctx.store, ctx.teamId, id, ctx.homeTeam);
  if (access.kind === 'foreign' || access.kind === 'assigned' || (access.kind === 'unowned' && !isHome(ctx))) throw noSuchConnection(id);
  await ctx.gateway.connections.delete(id);
  await ctx.store.forgetConnection(id);
  const workspace = await ctx.workspace();
  const wasInUse = workspace.connectionId === id;
  if (wasInUse) await ctx.store.setWorkspaceConnection(ctx.teamId, null, ctx.userId, ctx.now());
  return connectionDeletedMessage({ connectionId: id, wasInUse, usesDefault: isHome(ctx) });
}
