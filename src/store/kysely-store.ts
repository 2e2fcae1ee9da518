import type { Kysely, Selectable } from 'kysely';
import { StoreError } from './errors.js';
import type { PlansTable, StoreTables } from './schema.js';
import type { NewPlan, PlanRecord, PlanStatus, Store, WorkspaceSettings } from './store.js';

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

/**
 * The Store over Kysely, identical for SQLite and Postgres: every state change that must be exactly-once is a
 * single conditional statement (UPDATE ... WHERE status = 'pending' RETURNING, INSERT ... ON CONFLICT), so the
 * database arbitrates between clicks, retries and replicas without explicit transactions or locks.
 */
export class KyselyStore implements Store {
  #lastPurgeMs = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(
    private readonly db: Kysely<StoreTables>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

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
