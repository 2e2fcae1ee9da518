/** The audit log: one row per write, appended as it starts and completed with its outcome. */
import type { Selectable } from 'kysely';
import { type Db, fromJson, toJson } from './rows.js';
import type { AuditLogTable } from './schema.js';
import type { AuditEntry } from './store.js';

function toAudit(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    teamId: row.team_id,
    at: new Date(Number(row.at)),
    userId: row.user_id,
    confirmedBy: row.confirmed_by,
    approvedBy: row.approved_by,
    command: row.command,
    title: row.title,
    connectionId: row.connection_id,
    projectId: row.project_id === null ? null : Number(row.project_id),
    objectType: row.object_type,
    objectId: row.object_id,
    objectLabel: row.object_label,
    before: fromJson(row.before),
    after: fromJson(row.after),
    outcome: row.outcome === 'done' || row.outcome === 'executing' || row.outcome === 'pending_posthog' ? row.outcome : 'failed',
    detail: row.detail,
    planId: row.plan_id,
  };
}

export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: entry.id,
      team_id: entry.teamId,
      at: entry.at.getTime(),
      user_id: entry.userId,
      confirmed_by: entry.confirmedBy,
      approved_by: entry.approvedBy,
      command: entry.command,
      title: entry.title,
      connection_id: entry.connectionId,
      project_id: entry.projectId,
      object_type: entry.objectType,
      object_id: entry.objectId,
      object_label: entry.objectLabel,
      before: toJson(entry.before),
      after: toJson(entry.after),
      outcome: entry.outcome,
      detail: entry.detail,
      plan_id: entry.planId,
    })
    .execute();
}

export async function completeAudit(
  db: Db,
  id: string,
  result: { outcome: AuditEntry['outcome']; detail: string | null; objectId?: string; after?: unknown },
): Promise<void> {
  await db
    .updateTable('audit_log')
    .set({
      outcome: result.outcome,
      detail: result.detail,
      ...(result.objectId === undefined ? {} : { object_id: result.objectId }),
      ...(result.after === undefined ? {} : { after: toJson(result.after) }),
    })
    .where('id', '=', id)
    .execute();
}

export async function getAudit(db: Db, id: string): Promise<AuditEntry | null> {
  const row = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toAudit(row);
}

export async function listAudit(db: Db, teamId: string, opts: { limit: number; offset?: number }): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset ?? 0)
    .execute();
  return rows.map(toAudit);
}
