/** `/ph connection list|show|connect`: reading the workspace's connections and starting a new one. */
import type { Message } from '../../views/blocks.js';
import { connectionCardMessage, connectionsMessage, connectStartedMessage } from '../../views/connections.js';
import { CommandError } from '../errors.js';
import type { CommandContext } from '../registry/command.js';
import { isHome, row, visibleConnection } from './visible.js';

export async function listConnections(ctx: CommandContext): Promise<Message> {
  const [connections, workspace, mine] = await Promise.all([
    ctx.gateway.connections.list(),
    ctx.workspace(),
    ctx.store.connectionsOf(ctx.teamId),
  ]);
  const owned = new Set((await ctx.store.getConnectionOwners(connections.map((c) => c.connection_id))).map((o) => o.connectionId));
  const ours = new Set(mine);
  // Unclaimed connections (made outside Hogbot) are shown only to a single-workspace install's own team.
  const visible = connections.filter((c) => ours.has(c.connection_id) || (!owned.has(c.connection_id) && isHome(ctx)));
  return connectionsMessage({ connections: visible.map(row), inUseId: workspace.connectionId, usesDefault: isHome(ctx) });
}

export async function showConnection(ctx: CommandContext, id: string): Promise<Message> {
  const [{ connection }, workspace] = await Promise.all([visibleConnection(ctx, id), ctx.workspace()]);
  return connectionCardMessage({ connection: row(connection), inUse: workspace.connectionId === id });
}

export async function startConnection(ctx: CommandContext): Promise<Message> {
  const created = await ctx.gateway.connections.create();
  // Made here, so it is this workspace's: no other workspace on the same Maton account can see or use it.
  await ctx.store.claimConnection({
    connectionId: created.connection_id,
    teamId: ctx.teamId,
    enterpriseId: ctx.enterpriseId,
    claimedBy: ctx.userId,
    claimedAt: ctx.now(),
    how: 'created',
  });
  if (!created.url)
    throw new CommandError(
      'Maton created the connection but gave no authorization link. Try `/ph connection show ' + created.connection_id + '`.',
    );
  return connectStartedMessage({ connectionId: created.connection_id, authorizeUrl: created.url });
}
