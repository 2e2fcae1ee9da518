/** Who may write (role grants) and the workspace's write policy (approvals, audit channel). */
import { type Db, upsert } from './rows.js';
import type { RoleGrant, WritePolicy } from './store.js';

function toGrant(row: { team_id: string; user_id: string; role: string; granted_by: string; granted_at: number | string }): RoleGrant {
  return {
    teamId: row.team_id,
    userId: row.user_id,
    role: row.role === 'admin' ? 'admin' : 'writer',
    grantedBy: row.granted_by,
    grantedAt: new Date(Number(row.granted_at)),
  };
}

export async function getGrant(db: Db, teamId: string, userId: string): Promise<RoleGrant | null> {
  const row = await db.selectFrom('role_grants').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return row === undefined ? null : toGrant(row);
}

export async function listGrants(db: Db, teamId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_grants')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('granted_at')
    .orderBy('user_id')
    .execute();
  return rows.map(toGrant);
}

export async function setGrant(db: Db, grant: RoleGrant): Promise<void> {
  const values = { role: grant.role, granted_by: grant.grantedBy, granted_at: grant.grantedAt.getTime() };
  await upsert(db, 'role_grants', ['team_id', 'user_id'], { team_id: grant.teamId, user_id: grant.userId, ...values }, values);
}

export async function revokeGrant(db: Db, teamId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('role_grants').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function getPolicy(db: Db, teamId: string): Promise<WritePolicy> {
  const row = await db.selectFrom('workspace_policies').selectAll().where('team_id', '=', teamId).executeTakeFirst();
  if (row === undefined)
    return { teamId, approvalsRequired: false, auditChannelId: null, guestsAllowed: false, updatedAt: null, updatedBy: null };
  return {
    teamId,
    approvalsRequired: Number(row.approvals_required) === 1,
    auditChannelId: row.audit_channel_id,
    guestsAllowed: Number(row.guests_allowed) === 1,
    updatedAt: new Date(Number(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

export async function setApprovalsRequired(db: Db, teamId: string, required: boolean, by: string, at: Date): Promise<void> {
  const values = { approvals_required: required ? 1 : 0, updated_at: at.getTime(), updated_by: by };
  await upsert(db, 'workspace_policies', ['team_id'], { team_id: teamId, audit_channel_id: null, ...values }, values);
}

export async function setAuditChannel(db: Db, teamId: string, channelId: string | null, by: string, at: Date): Promise<void> {
  const values = { audit_channel_id: channelId, updated_at: at.getTime(), updated_by: by };
  await upsert(db, 'workspace_policies', ['team_id'], { team_id: teamId, approvals_required: 0, ...values }, values);
}

export async function setGuestsAllowed(db: Db, teamId: string, allowed: boolean, by: string, at: Date): Promise<void> {
  const values = { guests_allowed: allowed ? 1 : 0, updated_at: at.getTime(), updated_by: by };
  await upsert(
    db,
    'workspace_policies',
    ['team_id'],
    { team_id: teamId, approvals_required: 0, audit_channel_id: null, ...values },
    values,
  );
}
