import { z } from 'zod';
import {
  type ConnectionRow,
  connectionCardMessage,
  connectionChosenMessage,
  connectionDeletedMessage,
  connectionsMessage,
  connectStartedMessage,
} from '../views/connections.js';
import { CommandError } from '../src/errors.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import type { MatonConnection } from '../src/posthog/schemas.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';

const connectionId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'is not a connection id (see `/ph connection list`)');

const row = (c: MatonConnection): ConnectionRow => ({
  id: c.connection_id,
  status: c.status,
  createdAt: c.creation_time ?? null,
  updatedAt: c.last_updated_time ?? null,
});

/** Maton answers an unknown connection id with a 404 (or a 400): either way the user typed a wrong id. */
async function getConnection(ctx: CommandContext, id: string): Promise<MatonConnection> {
  try {
    return await ctx.gateway.connections.get(id);
  } catch (error) {
    if (isUpstreamError(error) && (error.kind === 'posthog_not_found' || error.kind === 'gateway_no_connection')) {
      throw new CommandError(`There is no PostHog connection \`${id}\` on this Maton account. See \`/ph connection list\`.`);
    }
    throw error;
  }
}

const list = defineCommand({
  name: 'connection list',
  aliases: ['connections'],
  summary: 'The PostHog connections on Hogbot’s Maton account, and the one in use here',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => {
    const [connections, workspace] = await Promise.all([ctx.gateway.connections.list(), ctx.workspace()]);
    return connectionsMessage({ connections: connections.map(row), inUseId: workspace.connectionId });
  },
});

const connect = defineCommand({
  name: 'connection connect',
  summary: 'Start a new PostHog connection and get its authorization link',
  args: z.object({}),
  mutates: false,
  role: 'admin',
  run: async (ctx) => {
    const created = await ctx.gateway.connections.create();
    if (!created.url) throw new CommandError('Maton created the connection but gave no authorization link. Try `/ph connection show ' + created.connection_id + '`.');
    return connectStartedMessage({ connectionId: created.connection_id, authorizeUrl: created.url });
  },
});

const use = defineCommand({
  name: 'connection use',
  summary: 'Make this workspace use a connection (its project choice resets)',
  usage: '<id>',
  examples: ['/ph connection use conn_acme'],
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: false,
  role: 'admin',
  run: async (ctx, { id }) => {
    const connection = await getConnection(ctx, id);
    if (connection.status !== 'ACTIVE') {
      throw new CommandError(`Connection \`${id}\` is ${connection.status}, not ACTIVE. Finish its authorization first (\`/ph connection show ${id}\`).`);
    }
    await ctx.store.setWorkspaceConnection(ctx.teamId, id, ctx.userId, ctx.now());
    return connectionChosenMessage({ connectionId: id });
  },
});

const show = defineCommand({
  name: 'connection show',
  summary: 'One connection’s status',
  usage: '<id>',
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: false,
  role: 'reader',
  run: async (ctx, { id }) => {
    const [connection, workspace] = await Promise.all([getConnection(ctx, id), ctx.workspace()]);
    return connectionCardMessage({ connection: row(connection), inUse: workspace.connectionId === id });
  },
});

const disconnect = defineCommand({
  name: 'connection disconnect',
  summary: 'Delete a connection from the Maton account',
  usage: '<id>',
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: z.object({ id: connectionId }),
  plan: async (ctx, { id }) => {
    const [connection, workspace] = await Promise.all([getConnection(ctx, id), ctx.workspace()]);
    return {
      title: `Disconnect ${id}`,
      target: [
        { label: 'Maton connection', value: id },
        { label: 'Status', value: connection.status },
      ],
      changes: [{ what: 'Connection', before: 'exists', after: 'deleted' }],
      warning:
        workspace.connectionId === id
          ? 'This workspace uses this connection: it will fall back to the gateway’s default connection.'
          : 'Every workspace and tool using this connection loses access to its PostHog account.',
      payload: { id },
    };
  },
  apply: async (ctx, { id }) => {
    await ctx.gateway.connections.delete(id);
    const workspace = await ctx.workspace();
    const wasInUse = workspace.connectionId === id;
    if (wasInUse) await ctx.store.setWorkspaceConnection(ctx.teamId, null, ctx.userId, ctx.now());
    return connectionDeletedMessage({ connectionId: id, wasInUse });
  },
});

export default [list, connect, use, show, disconnect];
