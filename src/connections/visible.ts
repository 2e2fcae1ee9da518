/** What every `/ph connection` command shares: the id rule, the one "no such connection" answer, and which ones this workspace sees. */
import { z } from 'zod';
import type { ConnectionRow } from '../../views/connections.js';
import { CommandError } from '../errors.js';
import { isUpstreamError } from '../posthog/errors.js';
import type { MatonConnection } from '../posthog/schemas.js';
import type { CommandContext } from '../registry/command.js';
import { type ConnectionAccess, connectionAccess, isHomeTeam } from '../tenancy.js';

/** Maton ids are uuids or slugs; `.` and `..` would walk the `/connections/` path, so an id needs a letter or digit. */
export const connectionId = z
  .string()
  .regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9_.:-]{1,128}$/, 'is not a connection id (see `/ph connection list`)');

export const row = (c: MatonConnection): ConnectionRow => ({
  id: c.connection_id,
  status: c.status,
  createdAt: c.creation_time ?? null,
  updatedAt: c.last_updated_time ?? null,
});

/** The one answer for an id that does not exist and for one another workspace owns: neither is confirmed. */
export const noSuchConnection = (id: string) =>
  new CommandError(`There is no PostHog connection \`${id}\` for this workspace. See \`/ph connection list\`.`);

/** The home team of a single-workspace install: the gateway's default connection and unclaimed connections are its own. */
export const isHome = (ctx: CommandContext) => isHomeTeam(ctx.homeTeam, ctx.teamId);

/** The connection from Maton; an unknown id (Maton answers 404, or 400) reads like any other missing one. */
export async function fetchConnection(ctx: CommandContext, id: string): Promise<MatonConnection> {
  try {
    return await ctx.gateway.connections.get(id);
  } catch (error) {
    if (isUpstreamError(error) && (error.kind === 'posthog_not_found' || error.kind === 'gateway_no_connection'))
      throw noSuchConnection(id);
    throw error;
  }
}

/**
 * A connection this workspace may see: its own, one lent to it, or one nobody owns yet. Another workspace's connection
 * is answered exactly like an unknown id. Maton answers an unknown id with a 404 (or a 400).
 */
export async function visibleConnection(
  ctx: CommandContext,
  id: string,
): Promise<{ connection: MatonConnection; access: Exclude<ConnectionAccess, { kind: 'foreign' }> }> {
  const access = await connectionAccess(ctx.store, ctx.teamId, id, ctx.homeTeam);
  if (access.kind === 'foreign') throw noSuchConnection(id);
  return { connection: await fetchConnection(ctx, id), access };
}
