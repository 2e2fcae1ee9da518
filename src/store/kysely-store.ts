import { type Kysely, sql } from 'kysely';
import { migrations } from './migrations.js';
import * as access from './access.js';
import * as approvals from './approvals.js';
import * as audit from './audit.js';
import * as connectionOwners from './connection-owners.js';
import { type ImageStore, type ImageTables, KyselyImageStore } from './images.js';
import * as installations from './installations.js';
import { KyselyScheduleStore } from './kysely-schedules.js';
import { OnceKeys } from './once-keys.js';
import * as plans from './plans.js';
import type { ScheduleStore, ScheduleTables } from './schedules.js';
import type { StoreTables } from './schema.js';
import type {
  ApprovalRecord,
  AuditEntry,
  ConnectionOwner,
  NewConnectionOwner,
  NewPlan,
  PlanRecord,
  RoleGrant,
  Store,
  WorkspaceSettings,
  WritePolicy,
} from './store.js';
import * as workspaces from './workspaces.js';

/**
 * The Store over Kysely, identical for SQLite and Postgres: every state change that must be exactly-once is a
 * single conditional statement (UPDATE ... WHERE status = 'pending' RETURNING, INSERT ... ON CONFLICT), so the
 * database arbitrates between clicks, retries and replicas without explicit transactions or locks. Each concern's
 * queries live in their own module (workspaces, plans, approvals, access, audit, once-keys, installations).
 */
export class KyselyStore implements Store {
  #closed = false;
  readonly #onceKeys: OnceKeys;

  readonly schedules: ScheduleStore;
  readonly images: ImageStore;

  constructor(
    private readonly db: Kysely<StoreTables>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {
    // The schedule tables live in their own module (src/store/schedules.ts) with their own row types.
    this.schedules = new KyselyScheduleStore(db as unknown as Kysely<ScheduleTables>, dialect);
    this.images = new KyselyImageStore(db as unknown as Kysely<ImageTables>);
    this.#onceKeys = new OnceKeys(db);
  }

  getWorkspace(teamId: string): Promise<WorkspaceSettings | null> {
    return workspaces.getWorkspace(this.db, teamId);
  }

  setWorkspaceConnection(teamId: string, connectionId: string | null, by: string, at: Date): Promise<void> {
    return workspaces.setWorkspaceConnection(this.db, teamId, connectionId, by, at);
  }

  setWorkspaceProject(teamId: string, projectId: number | null, by: string, at: Date): Promise<void> {
    return workspaces.setWorkspaceProject(this.db, teamId, projectId, by, at);
  }

  getConnectionOwner(connectionId: string): Promise<ConnectionOwner | null> {
    return connectionOwners.getConnectionOwner(this.db, connectionId);
  }

  getConnectionOwners(connectionIds: readonly string[]): Promise<ConnectionOwner[]> {
    return connectionOwners.getConnectionOwners(this.db, connectionIds);
  }

  claimConnection(owner: NewConnectionOwner): Promise<ConnectionOwner> {
    return connectionOwners.claimConnection(this.db, owner);
  }

  forgetConnection(connectionId: string): Promise<void> {
    return connectionOwners.forgetConnection(this.db, connectionId);
  }

  assignConnection(connectionId: string, teamId: string, by: string, at: Date): Promise<void> {
    return connectionOwners.assignConnection(this.db, connectionId, teamId, by, at);
  }

  isConnectionAssigned(connectionId: string, teamId: string): Promise<boolean> {
    return connectionOwners.isConnectionAssigned(this.db, connectionId, teamId);
  }

  connectionsOf(teamId: string): Promise<string[]> {
    return connectionOwners.connectionsOf(this.db, teamId);
  }

  createPlan(plan: NewPlan): Promise<void> {
    return plans.createPlan(this.db, plan);
  }

  getPlan(id: string): Promise<PlanRecord | null> {
    return plans.getPlan(this.db, id);
  }

  claimPlan(id: string, by: string, now: Date): Promise<PlanRecord | null> {
    return plans.claimPlan(this.db, id, by, now);
  }

  finishPlan(id: string, status: 'done' | 'failed', outcome: unknown): Promise<void> {
    return plans.finishPlan(this.db, id, status, outcome);
  }

  cancelPlan(id: string, by: string): Promise<boolean> {
    return plans.cancelPlan(this.db, id, by);
  }

  requestApproval(id: string, by: string, now: Date, expiresAt: Date): Promise<boolean> {
    return approvals.requestApproval(this.db, id, by, now, expiresAt);
  }

  setApprovalMessage(id: string, where: { channelId: string; messageTs: string; threadTs: string | null }): Promise<void> {
    return approvals.setApprovalMessage(this.db, id, where);
  }

  getApproval(id: string): Promise<ApprovalRecord | null> {
    return approvals.getApproval(this.db, id);
  }

  approvePlan(id: string, by: string, now: Date): Promise<PlanRecord | null> {
    return approvals.approvePlan(this.db, id, by, now);
  }

  rejectPlan(id: string, by: string, now: Date): Promise<boolean> {
    return approvals.rejectPlan(this.db, id, by, now);
  }

  getGrant(teamId: string, userId: string): Promise<RoleGrant | null> {
    return access.getGrant(this.db, teamId, userId);
  }

  listGrants(teamId: string): Promise<RoleGrant[]> {
    return access.listGrants(this.db, teamId);
  }

  setGrant(grant: RoleGrant): Promise<void> {
    return access.setGrant(this.db, grant);
  }

  revokeGrant(teamId: string, userId: string): Promise<boolean> {
    return access.revokeGrant(this.db, teamId, userId);
  }

  getPolicy(teamId: string): Promise<WritePolicy> {
    return access.getPolicy(this.db, teamId);
  }

  setApprovalsRequired(teamId: string, required: boolean, by: string, at: Date): Promise<void> {
    return access.setApprovalsRequired(this.db, teamId, required, by, at);
  }

  setAuditChannel(teamId: string, channelId: string | null, by: string, at: Date): Promise<void> {
    return access.setAuditChannel(this.db, teamId, channelId, by, at);
  }

  setGuestsAllowed(teamId: string, allowed: boolean, by: string, at: Date): Promise<void> {
    return access.setGuestsAllowed(this.db, teamId, allowed, by, at);
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return audit.appendAudit(this.db, entry);
  }

  completeAudit(
    id: string,
    result: { outcome: AuditEntry['outcome']; detail: string | null; objectId?: string; after?: unknown },
  ): Promise<void> {
    return audit.completeAudit(this.db, id, result);
  }

  getAudit(id: string): Promise<AuditEntry | null> {
    return audit.getAudit(this.db, id);
  }

  listAudit(teamId: string, opts: { limit: number; offset?: number }): Promise<AuditEntry[]> {
    return audit.listAudit(this.db, teamId, opts);
  }

  rememberOnce(key: string, now: Date, expiresAt: Date): Promise<boolean> {
    return this.#onceKeys.remember(key, now, expiresAt);
  }

  saveInstallation(key: string, installation: unknown): Promise<void> {
    return installations.saveInstallation(this.db, key, installation);
  }

  getInstallation(key: string): Promise<unknown | null> {
    return installations.getInstallation(this.db, key);
  }

  deleteInstallation(key: string): Promise<void> {
    return installations.deleteInstallation(this.db, key);
  }

  /** For `GET /readyz`: throws when the database does not answer; names the migrations not applied yet. */
  async pendingMigrations(): Promise<string[]> {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(this.db);
    const applied = new Set(rows.rows.map((r) => r.name));
    return Object.keys(migrations).filter((name) => !applied.has(name));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }
}
