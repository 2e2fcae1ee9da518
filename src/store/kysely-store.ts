import type { Kysely, Selectable } from 'kysely';
import { StoreError } from './errors.js';
import { KyselyScheduleStore } from './kysely-schedules.js';
import type { ScheduleStore, ScheduleTables } from './schedules.js';
import type { AuditLogTable, PlansTable, StoreTables } from './schema.js';
import type { ApprovalRecord, AuditEntry, NewPlan, PlanRecord, PlanStatus, RoleGrant, Store, WorkspaceSettings, WritePolicy } from './store.js';

/** Expired once-keys are swept at most this often per process; between sweeps they are just ignored. */
const PURGE_EVERY_MS = 10 * 60_000;

const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
// `undefined` has no JSON form; store it as null rather than failing a NOT NULL column.
const toJson = (value: unknown): string => JSON.stringify(value ?? null);

function toPlan(row: Selectable<PlansTable>): PlanRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    channelId: row.channel_id,
    command: row.command,
    payload: fromJson(row.payload),
    status: row.status as PlanStatus,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    decidedBy: row.decided_by,
    outcome: fromJson(row.outcome),
  };
}

function toGrant(row: { team_id: string; user_id: string; role: string; granted_by: string; granted_at: number | string }): RoleGrant {
  return {
    teamId: row.team_id,
    userId: row.user_id,
    role: row.role === 'admin' ? 'admin' : 'writer',
    grantedBy: row.granted_by,
    grantedAt: new Date(Number(row.granted_at)),
  };
}

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
    outcome: row.outcome === 'done' || row.outcome === 'executing' ? row.outcome : 'failed',
    detail: row.detail,
    planId: row.plan_id,
  };
}

/**
 * The Store over Kysely, identical for SQLite and Postgres: every state change that must be exactly-once is a
 * single conditional statement (UPDATE ... WHERE status = 'pending' RETURNING, INSERT ... ON CONFLICT), so the
 * database arbitrates between clicks, retries and replicas without explicit transactions or locks.
 */
export class KyselyStore implements Store {
  #lastPurgeMs = Number.NEGATIVE_INFINITY;
  #closed = false;

  readonly schedules: ScheduleStore;

  constructor(
    private readonly db: Kysely<StoreTables>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {
    // The schedule tables live in their own module (src/store/schedules.ts) with their own row types.
    this.schedules = new KyselyScheduleStore(db as unknown as Kysely<ScheduleTables>, dialect);
  }

  async getWorkspace(teamId: string): Promise<WorkspaceSettings | null> {
    const row = await this.db.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).executeTakeFirst();
    if (row === undefined) return null;
    return {
      teamId: row.team_id,
      connectionId: row.connection_id,
      projectId: row.project_id === null ? null : Number(row.project_id),
      updatedAt: new Date(Number(row.updated_at)),
      updatedBy: row.updated_by,
    };
  }

  async setWorkspaceConnection(teamId: string, connectionId: string | null, by: string, at: Date): Promise<void> {
    const values = { connection_id: connectionId, project_id: null, updated_at: at.getTime(), updated_by: by };
    await this.db
      .insertInto('workspaces')
      .values({ team_id: teamId, ...values })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
      .execute();
  }

  async setWorkspaceProject(teamId: string, projectId: number | null, by: string, at: Date): Promise<void> {
    const values = { project_id: projectId, updated_at: at.getTime(), updated_by: by };
    await this.db
      .insertInto('workspaces')
      .values({ team_id: teamId, connection_id: null, ...values })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
      .execute();
  }

  async createPlan(plan: NewPlan): Promise<void> {
    await this.db
      .insertInto('plans')
      .values({
        id: plan.id,
        team_id: plan.teamId,
        user_id: plan.userId,
        channel_id: plan.channelId,
        command: plan.command,
        payload: toJson(plan.payload),
        status: 'pending' satisfies PlanStatus,
        created_at: plan.createdAt.getTime(),
        expires_at: plan.expiresAt.getTime(),
        decided_by: null,
        outcome: null,
      })
      .execute();
  }

  async getPlan(id: string): Promise<PlanRecord | null> {
    const row = await this.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toPlan(row);
  }

  async claimPlan(id: string, by: string, now: Date): Promise<PlanRecord | null> {
    const nowMs = now.getTime();
    const claimed = await this.db
      .updateTable('plans')
      .set({ status: 'executing' satisfies PlanStatus, decided_by: by })
      .where('id', '=', id)
      .where('status', '=', 'pending' satisfies PlanStatus)
      .where('expires_at', '>', nowMs)
      .returningAll()
      .executeTakeFirst();
    if (claimed !== undefined) return toPlan(claimed);
    // Lost the race, or too late: record the expiry so the plan reads as expired from now on.
    await this.db
      .updateTable('plans')
      .set({ status: 'expired' satisfies PlanStatus })
      .where('id', '=', id)
      .where('status', '=', 'pending' satisfies PlanStatus)
      .where('expires_at', '<=', nowMs)
      .execute();
    return null;
  }

  async finishPlan(id: string, status: 'done' | 'failed', outcome: unknown): Promise<void> {
    const result = await this.db
      .updateTable('plans')
      .set({ status, outcome: toJson(outcome) })
      .where('id', '=', id)
      .where('status', '=', 'executing' satisfies PlanStatus)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new StoreError('plan_not_executing', `plan ${id} cannot be finished: it was not claimed or is already finished`);
    }
  }

  async cancelPlan(id: string, by: string): Promise<boolean> {
    const result = await this.db
      .updateTable('plans')
      .set({ status: 'cancelled' satisfies PlanStatus, decided_by: by })
      .where('id', '=', id)
      .where('status', '=', 'pending' satisfies PlanStatus)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async requestApproval(id: string, by: string, now: Date, expiresAt: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('plans')
        .set({ status: 'awaiting_approval' satisfies PlanStatus, expires_at: expiresAt.getTime() })
        .where('id', '=', id)
        .where('user_id', '=', by)
        .where('status', '=', 'pending' satisfies PlanStatus)
        .where('expires_at', '>', now.getTime())
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) return false;
      await trx
        .insertInto('plan_approvals')
        .values({ plan_id: id, requested_by: by, requested_at: now.getTime(), channel_id: null, message_ts: null, thread_ts: null, decided_by: null, decision: null, decided_at: null })
        .onConflict((oc) => oc.column('plan_id').doUpdateSet({ requested_by: by, requested_at: now.getTime() }))
        .execute();
      return true;
    });
  }

  async setApprovalMessage(id: string, where: { channelId: string; messageTs: string; threadTs: string | null }): Promise<void> {
    await this.db
      .updateTable('plan_approvals')
      .set({ channel_id: where.channelId, message_ts: where.messageTs, thread_ts: where.threadTs })
      .where('plan_id', '=', id)
      .execute();
  }

  async getApproval(id: string): Promise<ApprovalRecord | null> {
    const row = await this.db.selectFrom('plan_approvals').selectAll().where('plan_id', '=', id).executeTakeFirst();
    if (row === undefined) return null;
    return {
      planId: row.plan_id,
      requestedBy: row.requested_by,
      requestedAt: new Date(Number(row.requested_at)),
      channelId: row.channel_id,
      messageTs: row.message_ts,
      threadTs: row.thread_ts,
      decidedBy: row.decided_by,
      decision: row.decision === 'approved' || row.decision === 'rejected' ? row.decision : null,
      decidedAt: row.decided_at === null ? null : new Date(Number(row.decided_at)),
    };
  }

  async approvePlan(id: string, by: string, now: Date): Promise<PlanRecord | null> {
    const nowMs = now.getTime();
    // The same single conditional UPDATE as claimPlan: exactly one approver (or replica) wins; never the initiator.
    const claimed = await this.db
      .updateTable('plans')
      .set({ status: 'executing' satisfies PlanStatus, decided_by: by })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_approval' satisfies PlanStatus)
      .where('user_id', '<>', by)
      .where('expires_at', '>', nowMs)
      .returningAll()
      .executeTakeFirst();
    if (claimed === undefined) {
      await this.#expireWaiting(id, nowMs);
      return null;
    }
    await this.#decide(id, by, 'approved', nowMs);
    return toPlan(claimed);
  }

  async rejectPlan(id: string, by: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('plans')
      .set({ status: 'cancelled' satisfies PlanStatus, decided_by: by })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_approval' satisfies PlanStatus)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await this.#decide(id, by, 'rejected', now.getTime());
    return true;
  }

  async #decide(id: string, by: string, decision: 'approved' | 'rejected', atMs: number): Promise<void> {
    await this.db.updateTable('plan_approvals').set({ decided_by: by, decision, decided_at: atMs }).where('plan_id', '=', id).execute();
  }

  async #expireWaiting(id: string, nowMs: number): Promise<void> {
    await this.db
      .updateTable('plans')
      .set({ status: 'expired' satisfies PlanStatus })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_approval' satisfies PlanStatus)
      .where('expires_at', '<=', nowMs)
      .execute();
  }

  async getGrant(teamId: string, userId: string): Promise<RoleGrant | null> {
    const row = await this.db.selectFrom('role_grants').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    return row === undefined ? null : toGrant(row);
  }

  async listGrants(teamId: string): Promise<RoleGrant[]> {
    const rows = await this.db.selectFrom('role_grants').selectAll().where('team_id', '=', teamId).orderBy('granted_at').orderBy('user_id').execute();
    return rows.map(toGrant);
  }

  async setGrant(grant: RoleGrant): Promise<void> {
    const values = { role: grant.role, granted_by: grant.grantedBy, granted_at: grant.grantedAt.getTime() };
    await this.db
      .insertInto('role_grants')
      .values({ team_id: grant.teamId, user_id: grant.userId, ...values })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet(values))
      .execute();
  }

  async revokeGrant(teamId: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('role_grants').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async getPolicy(teamId: string): Promise<WritePolicy> {
    const row = await this.db.selectFrom('workspace_policies').selectAll().where('team_id', '=', teamId).executeTakeFirst();
    if (row === undefined) return { teamId, approvalsRequired: false, auditChannelId: null, updatedAt: null, updatedBy: null };
    return {
      teamId,
      approvalsRequired: Number(row.approvals_required) === 1,
      auditChannelId: row.audit_channel_id,
      updatedAt: new Date(Number(row.updated_at)),
      updatedBy: row.updated_by,
    };
  }

  async setApprovalsRequired(teamId: string, required: boolean, by: string, at: Date): Promise<void> {
    const values = { approvals_required: required ? 1 : 0, updated_at: at.getTime(), updated_by: by };
    await this.db
      .insertInto('workspace_policies')
      .values({ team_id: teamId, audit_channel_id: null, ...values })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
      .execute();
  }

  async setAuditChannel(teamId: string, channelId: string | null, by: string, at: Date): Promise<void> {
    const values = { audit_channel_id: channelId, updated_at: at.getTime(), updated_by: by };
    await this.db
      .insertInto('workspace_policies')
      .values({ team_id: teamId, approvals_required: 0, ...values })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(values))
      .execute();
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.db
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

  async completeAudit(id: string, result: { outcome: 'done' | 'failed'; detail: string | null; objectId?: string; after?: unknown }): Promise<void> {
    await this.db
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

  async getAudit(id: string): Promise<AuditEntry | null> {
    const row = await this.db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toAudit(row);
  }

  async listAudit(teamId: string, opts: { limit: number; offset?: number }): Promise<AuditEntry[]> {
    const rows = await this.db
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

  async rememberOnce(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    const nowMs = now.getTime();
    // Insert, or take over a key whose memory has lapsed; a live key makes the upsert a no-op and returns no row.
    const row = await this.db
      .insertInto('once_keys')
      .values({ key, expires_at: expiresAt.getTime() })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('once_keys.expires_at', '<=', nowMs),
      )
      .returning('key')
      .executeTakeFirst();
    await this.#purgeOnceKeys(nowMs);
    return row !== undefined;
  }

  async #purgeOnceKeys(nowMs: number): Promise<void> {
    if (nowMs - this.#lastPurgeMs < PURGE_EVERY_MS) return;
    this.#lastPurgeMs = nowMs;
    await this.db.deleteFrom('once_keys').where('expires_at', '<=', nowMs).execute();
  }

  async saveInstallation(key: string, installation: unknown): Promise<void> {
    const values = { json: toJson(installation), updated_at: Date.now() };
    await this.db
      .insertInto('installations')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
  }

  async getInstallation(key: string): Promise<unknown | null> {
    const row = await this.db.selectFrom('installations').select('json').where('key', '=', key).executeTakeFirst();
    return row === undefined ? null : fromJson(row.json);
  }

  async deleteInstallation(key: string): Promise<void> {
    await this.db.deleteFrom('installations').where('key', '=', key).execute();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }
}
