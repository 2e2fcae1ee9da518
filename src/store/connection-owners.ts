/**
 * Which workspace each Maton connection belongs to, and the connections an Enterprise Grid org admin lent to another
 * workspace. The first claim wins in one statement (INSERT ... ON CONFLICT DO NOTHING), so two workspaces choosing the
 * same unowned connection at once can't both end up owning it.
 */
import type { Db } from './rows.js';
import type { ConnectionOwner, NewConnectionOwner } from './store.js';

function toOwner(row: {
  connection_id: string;
  team_id: string;
  enterprise_id: string | null;
  claimed_by: string | null;
  claimed_at: number | string;
  how: string;
}): ConnectionOwner {
  return {
    connectionId: row.connection_id,
    teamId: row.team_id,
    enterpriseId: row.enterprise_id,
    claimedBy: row.claimed_by,
    claimedAt: new Date(Number(row.claimed_at)),
    how: row.how as ConnectionOwner['how'],
  };
}

export async function getConnectionOwner(db: Db, connectionId: string): Promise<ConnectionOwner | null> {
  const row = await db.selectFrom('connection_owners').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
  return row === undefined ? null : toOwner(row);
}

export async function getConnectionOwners(db: Db, connectionIds: readonly string[]): Promise<ConnectionOwner[]> {
  if (connectionIds.length === 0) return [];
  const rows = await db
    .selectFrom('connection_owners')
    .selectAll()
    .where('connection_id', 'in', [...connectionIds])
    .execute();
  return rows.map(toOwner);
}

/** Records the owner unless the connection has one already; returns whoever owns it afterwards. */
export async function claimConnection(db: Db, owner: NewConnectionOwner): Promise<ConnectionOwner> {
  await db
    .insertInto('connection_owners')
    .values({
      connection_id: owner.connectionId,
      team_id: owner.teamId,
      enterprise_id: owner.enterpriseId,
      claimed_by: owner.claimedBy,
      claimed_at: owner.claimedAt.getTime(),
      how: owner.how,
    })
    .onConflict((oc) => oc.column('connection_id').doNothing())
    .execute();
  const now = await getConnectionOwner(db, owner.connectionId);
  if (!now) throw new Error(`connection owner of ${owner.connectionId} vanished right after its claim`);
  return now;
}

/** The connection is gone (disconnected): nobody owns it, nobody borrows it. */
export async function forgetConnection(db: Db, connectionId: string): Promise<void> {
  await db.deleteFrom('connection_assignments').where('connection_id', '=', connectionId).execute();
  await db.deleteFrom('connection_owners').where('connection_id', '=', connectionId).execute();
}

export async function assignConnection(db: Db, connectionId: string, teamId: string, by: string, at: Date): Promise<void> {
  await db
    .insertInto('connection_assignments')
    .values({ connection_id: connectionId, team_id: teamId, assigned_by: by, assigned_at: at.getTime() })
    .onConflict((oc) => oc.columns(['connection_id', 'team_id']).doUpdateSet({ assigned_by: by, assigned_at: at.getTime() }))
    .execute();
}

export async function isConnectionAssigned(db: Db, connectionId: string, teamId: string): Promise<boolean> {
  const row = await db
    .selectFrom('connection_assignments')
    .select('team_id')
    .where('connection_id', '=', connectionId)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The connections a workspace owns or was lent, oldest first. */
export async function connectionsOf(db: Db, teamId: string): Promise<string[]> {
  const [owned, lent] = await Promise.all([
    db
      .selectFrom('connection_owners')
      .select(['connection_id', 'claimed_at'])
      .where('team_id', '=', teamId)
      .orderBy('claimed_at')
      .execute(),
    db
      .selectFrom('connection_assignments')
      .select(['connection_id', 'assigned_at'])
      .where('team_id', '=', teamId)
      .orderBy('assigned_at')
      .execute(),
  ]);
  return [...new Set([...owned.map((r) => r.connection_id), ...lent.map((r) => r.connection_id)])];
}
