/**
 * Which Maton connection a workspace may use: the one rule behind every command (`ctx.posthog()`), unfurl, App Home,
 * digest and alert. One MATON_API_KEY serves every workspace of an install, so the key alone must never decide whose
 * PostHog data a workspace reads (issue 11).
 *
 * - A connection belongs to the workspace that created it through Hogbot, or that first chose it. Only that workspace
 *   (and one an Enterprise Grid org admin lent it to) may list, show, use or disconnect it; to every other workspace it
 *   does not exist.
 * - The gateway's default connection (no Maton-Connection header) serves only the workspace of a single-workspace
 *   install: the team of the bot token, learned from auth.test at start. Never in OAuth mode. Any other workspace that
 *   chose no connection is told to connect PostHog first.
 */
import { CommandError } from './errors.js';
import type { ConnectionOwner, Store, WorkspaceSettings } from './store/store.js';

/** The team the bot token belongs to in HTTP and Socket Mode; null in OAuth mode (and until start() asked Slack). */
export interface HomeTeam {
  teamId: string | null;
}

export const CONNECT_FIRST =
  'This workspace has no PostHog connection yet: connect PostHog first. An admin runs `/ph connection connect`, opens the link to authorize PostHog, then `/ph connection use &lt;id&gt;`.';

/** A workspace with no connection it may use. Shown as is (ephemeral) to whoever asked. */
export class NotConnectedError extends CommandError {
  constructor() {
    super(CONNECT_FIRST);
  }
}

export function isNotConnected(error: unknown): error is NotConnectedError {
  return error instanceof NotConnectedError;
}

export function isHomeTeam(home: HomeTeam | undefined, teamId: string): boolean {
  return teamId !== '' && home?.teamId != null && home.teamId === teamId;
}

/** OAuth mode (no home team): any workspace may take an unclaimed connection; else only the install's own workspace. */
export function mayClaimUnowned(home: HomeTeam | undefined, teamId: string): boolean {
  return home?.teamId == null || isHomeTeam(home, teamId);
}

/**
 * How `teamId` stands towards a connection: it owns it, was lent it by an org admin, nobody owns it yet and it may take
 * it, or it is another's (`foreign`: answer as if it did not exist). In a single-workspace install a connection nobody
 * claimed through Hogbot is the install's own workspace's (it may be the very one the gateway's default connection
 * reads), so only that workspace may take it; in OAuth mode the first workspace to choose it does.
 */
export type ConnectionAccess =
  | { kind: 'owner'; owner: ConnectionOwner }
  | { kind: 'assigned'; owner: ConnectionOwner }
  | { kind: 'unowned' }
  | { kind: 'foreign'; owner: ConnectionOwner | null };

export async function connectionAccess(store: Store, teamId: string, connectionId: string, home?: HomeTeam): Promise<ConnectionAccess> {
  const owner = await store.getConnectionOwner(connectionId);
  if (!owner) return mayClaimUnowned(home, teamId) ? { kind: 'unowned' } : { kind: 'foreign', owner: null };
  if (owner.teamId === teamId) return { kind: 'owner', owner };
  if (await store.isConnectionAssigned(connectionId, teamId)) return { kind: 'assigned', owner };
  return { kind: 'foreign', owner };
}

export interface TenancyDeps {
  store: Store;
  homeTeam?: HomeTeam | undefined;
  now: () => Date;
}

/**
 * THE rule: the Maton connection this workspace's PostHog calls carry, or null for the gateway's default one (only the
 * single-workspace install's own team). Throws NotConnectedError when the workspace may use none.
 */
export async function connectionFor(
  deps: TenancyDeps,
  workspace: WorkspaceSettings,
  who: { enterpriseId: string | null },
): Promise<string | null> {
  const chosen = workspace.connectionId;
  if (chosen !== null) {
    const access = await connectionAccess(deps.store, workspace.teamId, chosen, deps.homeTeam);
    if (access.kind === 'owner' || access.kind === 'assigned') return chosen;
    if (access.kind === 'unowned') {
      // Chosen before ownership was recorded (or its record was dropped): the workspace that chose it claims it now.
      const owner = await deps.store.claimConnection({
        connectionId: chosen,
        teamId: workspace.teamId,
        enterpriseId: who.enterpriseId,
        claimedBy: workspace.updatedBy,
        claimedAt: deps.now(),
        how: 'chosen',
      });
      if (owner.teamId === workspace.teamId) return chosen;
    }
    throw new NotConnectedError();
  }
  if (isHomeTeam(deps.homeTeam, workspace.teamId)) return null;
  throw new NotConnectedError();
}

/** For scheduled runs: null when the workspace may read PostHog, else why the run is skipped (recorded on it). */
export async function notConnectedReason(ctx: { posthog(): Promise<unknown> }): Promise<string | null> {
  try {
    await ctx.posthog();
    return null;
  } catch (error) {
    if (isNotConnected(error))
      return 'skipped: this workspace has no PostHog connection; connect PostHog first (`/ph connection connect`, then `/ph connection use &lt;id&gt;`)';
    throw error;
  }
}

/**
 * An Enterprise Grid org admin or owner of `enterpriseId`: Slack's users.info `enterprise_user` (its `is_admin`,
 * `is_owner`, `is_primary_owner`, for that enterprise) or the top-level `is_org_admin` / `is_org_owner` some payloads
 * carry. Asked fresh: this decides who may lend a workspace's connection to another workspace.
 */
export async function isOrgAdmin(
  slack: { users: { info(args: { user: string }): Promise<{ user?: unknown }> } },
  userId: string,
  enterpriseId: string,
): Promise<boolean> {
  const user = (await slack.users.info({ user: userId })).user as
    | {
        is_org_admin?: unknown;
        is_org_owner?: unknown;
        enterprise_user?: { enterprise_id?: unknown; is_admin?: unknown; is_owner?: unknown; is_primary_owner?: unknown };
      }
    | undefined;
  const grid = user?.enterprise_user;
  if (!grid || grid.enterprise_id !== enterpriseId) return false;
  return (
    grid.is_admin === true ||
    grid.is_owner === true ||
    grid.is_primary_owner === true ||
    user?.is_org_admin === true ||
    user?.is_org_owner === true
  );
}
