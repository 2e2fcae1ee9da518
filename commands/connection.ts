import { z } from 'zod';
import { outcomeMessage } from '../views/audit.js';
import type { Message } from '../views/blocks.js';
import {
  type ConnectionRow,
  connectionCardMessage,
  connectionChosenText,
  connectionDeletedMessage,
  connectionsMessage,
  connectStartedMessage,
} from '../views/connections.js';
import { noticeMessage } from '../views/flags.js';
import { CommandError } from '../src/errors.js';
import { isUpstreamError } from '../src/posthog/errors.js';
import type { MatonConnection } from '../src/posthog/schemas.js';
import { type CommandContext, defineCommand, type PlanDraft } from '../src/registry/command.js';
import { type ConnectionAccess, connectionAccess, isHomeTeam, isOrgAdmin } from '../src/tenancy.js';

/** Maton ids are uuids or slugs; `.` and `..` would walk the `/connections/` path, so an id needs a letter or digit. */
const connectionId = z.string().regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9_.:-]{1,128}$/, 'is not a connection id (see `/ph connection list`)');

const row = (c: MatonConnection): ConnectionRow => ({
  id: c.connection_id,
  status: c.status,
  createdAt: c.creation_time ?? null,
  updatedAt: c.last_updated_time ?? null,
});

/** The one answer for an id that does not exist and for one another workspace owns: neither is confirmed. */
const noSuchConnection = (id: string) => new CommandError(`There is no PostHog connection \`${id}\` for this workspace. See \`/ph connection list\`.`);

/** The home team of a single-workspace install: the gateway's default connection and unclaimed connections are its own. */
const isHome = (ctx: CommandContext) => isHomeTeam(ctx.homeTeam, ctx.teamId);

/**
 * A connection this workspace may see: its own, one lent to it, or one nobody owns yet. Another workspace's connection
 * is answered exactly like an unknown id. Maton answers an unknown id with a 404 (or a 400).
 */
async function visibleConnection(ctx: CommandContext, id: string): Promise<{ connection: MatonConnection; access: Exclude<ConnectionAccess, { kind: 'foreign' }> }> {
  const access = await connectionAccess(ctx.store, ctx.teamId, id, ctx.homeTeam);
  if (access.kind === 'foreign') throw noSuchConnection(id);
  try {
    return { connection: await ctx.gateway.connections.get(id), access };
  } catch (error) {
    if (isUpstreamError(error) && (error.kind === 'posthog_not_found' || error.kind === 'gateway_no_connection')) throw noSuchConnection(id);
    throw error;
  }
}

const list = defineCommand({
  name: 'connection list',
  aliases: ['connections'],
  summary: 'This workspace’s PostHog connections, and the one in use here',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => {
    const [connections, workspace, mine] = await Promise.all([ctx.gateway.connections.list(), ctx.workspace(), ctx.store.connectionsOf(ctx.teamId)]);
    const owned = new Set((await ctx.store.getConnectionOwners(connections.map((c) => c.connection_id))).map((o) => o.connectionId));
    const ours = new Set(mine);
    // Unclaimed connections (made outside Hogbot) are shown only to a single-workspace install's own team.
    const visible = connections.filter((c) => ours.has(c.connection_id) || (!owned.has(c.connection_id) && isHome(ctx)));
    return connectionsMessage({ connections: visible.map(row), inUseId: workspace.connectionId, usesDefault: isHome(ctx) });
  },
});

const connect = defineCommand({
  name: 'connection connect',
  summary: 'Start a new PostHog connection for this workspace and get its authorization link',
  args: z.object({}),
  mutates: false,
  role: 'admin',
  run: async (ctx) => {
    const created = await ctx.gateway.connections.create();
    // Made here, so it is this workspace's: no other workspace on the same Maton account can see or use it.
    await ctx.store.claimConnection({ connectionId: created.connection_id, teamId: ctx.teamId, enterpriseId: ctx.enterpriseId, claimedBy: ctx.userId, claimedAt: ctx.now(), how: 'created' });
    if (!created.url) throw new CommandError('Maton created the connection but gave no authorization link. Try `/ph connection show ' + created.connection_id + '`.');
    return connectStartedMessage({ connectionId: created.connection_id, authorizeUrl: created.url });
  },
});

// --- connection use: a write like any other (plan, Confirm, audit, Undo) ---

const usePayload = z.object({ id: connectionId, previous: z.string().nullable() });
type UsePayload = z.infer<typeof usePayload>;

const fingerprintOf = (connectionId: string | null, access: ConnectionAccess['kind']) => `${connectionId ?? '-'}:${access}`;

async function planUse(ctx: CommandContext, id: string): Promise<PlanDraft<UsePayload> | Message> {
  const [{ connection, access }, workspace] = await Promise.all([visibleConnection(ctx, id), ctx.workspace()]);
  if (connection.status !== 'ACTIVE') {
    throw new CommandError(`Connection \`${id}\` is ${connection.status}, not ACTIVE. Finish its authorization first (\`/ph connection show ${id}\`).`);
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
      { what: 'Project', before: workspace.projectId === null ? 'PostHog’s default' : String(workspace.projectId), after: 'PostHog’s default (pick one with /ph projects)' },
    ],
    ...(access.kind === 'unowned' ? { warning: 'No workspace owns this connection yet: using it makes it this workspace’s, and other workspaces can no longer see or use it.' } : {}),
    payload: { id, previous },
    fingerprint: fingerprintOf(previous, access.kind),
    subject: { type: 'setting', id: 'connection', label: 'PostHog connection', connectionId: id, before: { connectionId: previous }, after: { connectionId: id } },
  };
}

const use = defineCommand({
  name: 'connection use',
  summary: 'Make this workspace use one of its connections (its project choice resets)',
  usage: '<id>',
  examples: ['/ph connection use conn_acme'],
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: usePayload,
  plan: (ctx, { id }) => planUse(ctx, id),
  check: async (ctx, p, fingerprint) => {
    const [workspace, access] = await Promise.all([ctx.workspace(), connectionAccess(ctx.store, ctx.teamId, p.id, ctx.homeTeam)]);
    return fingerprintOf(workspace.connectionId, access.kind) === fingerprint ? null : planUse(ctx, p.id);
  },
  apply: async (ctx, p) => {
    // Claimed at Confirm, atomically: of two workspaces confirming the same unowned connection, one gets it.
    const access = await connectionAccess(ctx.store, ctx.teamId, p.id, ctx.homeTeam);
    if (access.kind === 'foreign') throw noSuchConnection(p.id);
    if (access.kind === 'unowned') {
      const owner = await ctx.store.claimConnection({ connectionId: p.id, teamId: ctx.teamId, enterpriseId: ctx.enterpriseId, claimedBy: ctx.userId, claimedAt: ctx.now(), how: 'chosen' });
      if (owner.teamId !== ctx.teamId) throw noSuchConnection(p.id);
    }
    await ctx.store.setWorkspaceConnection(ctx.teamId, p.id, ctx.userId, ctx.now());
    return { message: outcomeMessage({ text: connectionChosenText(p.id), undo: p.previous ? `connection use ${p.previous}` : null }), after: { connectionId: p.id } };
  },
});

const show = defineCommand({
  name: 'connection show',
  summary: 'One of this workspace’s connections: its status',
  usage: '<id>',
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: false,
  role: 'reader',
  run: async (ctx, { id }) => {
    const [{ connection }, workspace] = await Promise.all([visibleConnection(ctx, id), ctx.workspace()]);
    return connectionCardMessage({ connection: row(connection), inUse: workspace.connectionId === id });
  },
});

const disconnect = defineCommand({
  name: 'connection disconnect',
  summary: 'Delete one of this workspace’s connections from the Maton account',
  usage: '<id>',
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: z.object({ id: connectionId }),
  plan: async (ctx, { id }) => {
    const [{ connection, access }, workspace] = await Promise.all([visibleConnection(ctx, id), ctx.workspace()]);
    if (access.kind === 'assigned') throw new CommandError(`Connection \`${id}\` was lent to this workspace by another workspace of your organization: only that workspace can disconnect it.`);
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
  },
  apply: async (ctx, { id }) => {
    const access = await connectionAccess(ctx.store, ctx.teamId, id, ctx.homeTeam);
    if (access.kind === 'foreign' || access.kind === 'assigned' || (access.kind === 'unowned' && !isHome(ctx))) throw noSuchConnection(id);
    await ctx.gateway.connections.delete(id);
    await ctx.store.forgetConnection(id);
    const workspace = await ctx.workspace();
    const wasInUse = workspace.connectionId === id;
    if (wasInUse) await ctx.store.setWorkspaceConnection(ctx.teamId, null, ctx.userId, ctx.now());
    return connectionDeletedMessage({ connectionId: id, wasInUse, usesDefault: isHome(ctx) });
  },
});

// --- connection assign: Enterprise Grid org admins lend one workspace's connection to another of the same enterprise ---

const assignPayload = z.object({ id: connectionId, ownerTeamId: z.string(), previous: z.string().nullable() });

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

const assign = defineCommand({
  name: 'connection assign',
  summary: 'Enterprise Grid org admins: use another workspace’s connection of your organization here',
  usage: '<id>',
  examples: ['/ph connection assign conn_acme'],
  args: z.object({ id: connectionId }),
  positional: ['id'],
  mutates: true,
  role: 'admin',
  payload: assignPayload,
  plan: async (ctx, { id }) => {
    const [{ access, owner }, workspace] = await Promise.all([lendable(ctx, id), ctx.workspace()]);
    if (access.kind !== 'foreign') return noticeMessage(`Connection \`${id}\` is already this workspace’s to use: \`/ph connection use ${id}\`.`);
    const { connection } = await (async () => {
      try {
        return { connection: await ctx.gateway.connections.get(id) };
      } catch (error) {
        if (isUpstreamError(error) && (error.kind === 'posthog_not_found' || error.kind === 'gateway_no_connection')) throw noSuchConnection(id);
        throw error;
      }
    })();
    if (connection.status !== 'ACTIVE') throw new CommandError(`Connection \`${id}\` is ${connection.status}, not ACTIVE: its workspace must finish authorizing it first.`);
    return {
      title: `Assign connection ${id} to this workspace`,
      target: [
        { label: 'Workspace', value: ctx.teamId },
        { label: 'Maton connection', value: `${id} (owned by workspace ${owner.teamId})` },
        { label: 'Enterprise', value: ctx.enterpriseId ?? '' },
      ],
      changes: [
        { what: 'Connection', before: workspace.connectionId ?? (isHome(ctx) ? 'gateway default' : 'none'), after: id },
        { what: 'Project', before: workspace.projectId === null ? 'PostHog’s default' : String(workspace.projectId), after: 'PostHog’s default' },
      ],
      warning: `Everyone in this workspace will read, and writers change, the PostHog account of workspace ${owner.teamId}. It stays that workspace’s: only it can disconnect it.`,
      payload: { id, ownerTeamId: owner.teamId, previous: workspace.connectionId },
      subject: { type: 'setting', id: 'connection', label: 'PostHog connection (assigned by an org admin)', connectionId: id, before: { connectionId: workspace.connectionId }, after: { connectionId: id, ownerTeamId: owner.teamId } },
    };
  },
  apply: async (ctx, p) => {
    // Checked again at Confirm: the confirmer must be an org admin of the owner's enterprise too.
    const { owner } = await lendable(ctx, p.id);
    if (owner.teamId !== p.ownerTeamId && owner.teamId !== ctx.teamId) throw noSuchConnection(p.id);
    if (owner.teamId !== ctx.teamId) await ctx.store.assignConnection(p.id, ctx.teamId, ctx.userId, ctx.now());
    await ctx.store.setWorkspaceConnection(ctx.teamId, p.id, ctx.userId, ctx.now());
    return { message: outcomeMessage({ text: connectionChosenText(p.id), undo: p.previous ? `connection use ${p.previous}` : null }), after: { connectionId: p.id } };
  },
});

export default [list, connect, use, show, disconnect, assign];
