/** Per-workspace choices: which Maton connection and PostHog project the workspace uses. */
import { type Db, upsert } from './rows.js';
import type { WorkspaceSettings } from './store.js';

export async function getWorkspace(db: Db, teamId: string): Promise<WorkspaceSettings | null> {
  const row = await db.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).executeTakeFirst();
  if (row === undefined) return null;
  return {
    teamId: row.team_id,
    connectionId: row.connection_id,
    projectId: row.project_id === null ? null : Number(row.project_id),
    updatedAt: new Date(Number(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

/** A new connection forgets the project: project ids belong to one connection. */
export async function setWorkspaceConnection(db: Db, teamId: string, connectionId: string | null, by: string, at: Date): Promise<void> {
  const values = { connection_id: connectionId, project_id: null, updated_at: at.getTime(), updated_by: by };
  await upsert(db, 'workspaces', ['team_id'], { team_id: teamId, ...values }, values);
}

export async function setWorkspaceProject(db: Db, teamId: string, projectId: number | null, by: string, at: Date): Promise<void> {
  const values = { project_id: projectId, updated_at: at.getTime(), updated_by: by };
  await upsert(db, 'workspaces', ['team_id'], { team_id: teamId, connection_id: null, ...values }, values);
}
