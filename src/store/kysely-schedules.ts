/** The ScheduleStore over Kysely, for SQLite and Postgres alike (see schedules.ts for the exactly-once rules). */
import type { Kysely, Selectable } from 'kysely';
import type {
  Claim,
  DeliveriesTable,
  DeliveryRecord,
  DeliveryStatus,
  NewSchedule,
  PeriodPlan,
  SavedQueriesTable,
  SavedQuery,
  ScheduleKind,
  ScheduleRecord,
  SchedulesTable,
  ScheduleStore,
  ScheduleTables,
} from './schedules.js';
import { dateOrNull, fromJson, toJson } from './rows.js';

function toQuery(row: Selectable<SavedQueriesTable>): SavedQuery {
  return {
    teamId: row.team_id,
    name: row.name,
    hogql: row.hogql,
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

function toSchedule(row: Selectable<SchedulesTable>): ScheduleRecord {
  return {
    id: row.id,
    kind: row.kind === 'alert' ? 'alert' : 'digest',
    teamId: row.team_id,
    enterpriseId: row.enterprise_id,
    channelId: row.channel_id,
    title: row.title,
    cadence: fromJson(row.cadence),
    spec: fromJson(row.spec),
    state: fromJson(row.state),
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)),
    paused: Number(row.paused) === 1,
    nextRunAt: new Date(Number(row.next_run_at)),
    lastRunAt: dateOrNull(row.last_run_at),
    lastOutcome: row.last_outcome,
  };
}

function toDelivery(row: Selectable<DeliveriesTable>): DeliveryRecord {
  return {
    scheduleId: row.schedule_id,
    periodKey: row.period_key,
    status: row.status === 'sent' ? 'sent' : row.status === 'failed' ? 'failed' : 'claimed',
    late: Number(row.late) === 1,
    skipped: Number(row.skipped),
    attempts: Number(row.attempts),
    claimedAt: new Date(Number(row.claimed_at)),
    finishedAt: dateOrNull(row.finished_at),
    detail: fromJson(row.detail),
  };
}

type Db = Kysely<ScheduleTables>;

/** The running schedules whose time has come, earliest first. */
function dueSchedules(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('paused', '=', 0)
    .where('next_run_at', '<=', now.getTime())
    .orderBy('next_run_at')
    .limit(limit);
}

export class KyselyScheduleStore implements ScheduleStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async saveQuery(query: Omit<SavedQuery, 'updatedAt'>, opts: { replace?: boolean } = {}): Promise<'created' | 'replaced' | 'exists'> {
    const values = { hogql: query.hogql, updated_at: query.createdAt.getTime() };
    const row = { team_id: query.teamId, name: query.name, created_by: query.createdBy, created_at: query.createdAt.getTime(), ...values };
    const inserted = await this.db
      .insertInto('saved_queries')
      .values(row)
      .onConflict((oc) => oc.columns(['team_id', 'name']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return 'created';
    if (!opts.replace) return 'exists';
    await this.db
      .updateTable('saved_queries')
      .set({ ...values, created_by: query.createdBy })
      .where('team_id', '=', query.teamId)
      .where('name', '=', query.name)
      .execute();
    return 'replaced';
  }

  async getQuery(teamId: string, name: string): Promise<SavedQuery | null> {
    const row = await this.db
      .selectFrom('saved_queries')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? null : toQuery(row);
  }

  async listQueries(teamId: string): Promise<SavedQuery[]> {
    const rows = await this.db.selectFrom('saved_queries').selectAll().where('team_id', '=', teamId).orderBy('name').execute();
    return rows.map(toQuery);
  }

  async deleteQuery(teamId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('saved_queries').where('team_id', '=', teamId).where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async createSchedule(s: NewSchedule): Promise<boolean> {
    const result = await this.db
      .insertInto('schedules')
      .values({
        id: s.id,
        kind: s.kind,
        team_id: s.teamId,
        enterprise_id: s.enterpriseId,
        channel_id: s.channelId,
        title: s.title,
        cadence: toJson(s.cadence),
        spec: toJson(s.spec),
        state: toJson(s.state),
        created_by: s.createdBy,
        created_at: s.createdAt.getTime(),
        paused: s.paused ? 1 : 0,
        next_run_at: s.nextRunAt.getTime(),
        last_run_at: null,
        last_outcome: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async getSchedule(teamId: string, id: string): Promise<ScheduleRecord | null> {
    const row = await this.db.selectFrom('schedules').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toSchedule(row);
  }

  async listSchedules(teamId: string, kind?: ScheduleKind): Promise<ScheduleRecord[]> {
    let query = this.db.selectFrom('schedules').selectAll().where('team_id', '=', teamId);
    if (kind) query = query.where('kind', '=', kind);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toSchedule);
  }

  async setPaused(teamId: string, id: string, paused: boolean, nextRunAt?: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('schedules')
      .set({ paused: paused ? 1 : 0, ...(nextRunAt ? { next_run_at: nextRunAt.getTime() } : {}) })
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteSchedule(teamId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('schedules').where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) return false;
    await this.db.deleteFrom('deliveries').where('schedule_id', '=', id).execute();
    return true;
  }

  async recordRun(id: string, at: Date, outcome: string, state?: unknown): Promise<void> {
    await this.db
      .updateTable('schedules')
      .set({ last_run_at: at.getTime(), last_outcome: outcome, ...(state === undefined ? {} : { state: toJson(state) }) })
      .where('id', '=', id)
      .execute();
  }

  async claimDue(now: Date, limit: number, plan: (schedule: ScheduleRecord) => PeriodPlan): Promise<Claim[]> {
    return this.dialect === 'postgres' ? this.#claimLocked(now, limit, plan) : this.#claimConditional(now, limit, plan);
  }

  /** Postgres: lock the due rows this replica takes; rows another replica holds are skipped, not waited for. */
  async #claimLocked(now: Date, limit: number, plan: (schedule: ScheduleRecord) => PeriodPlan): Promise<Claim[]> {
    return this.db.transaction().execute(async (trx) => {
      const due = await dueSchedules(trx, now, limit).forUpdate().skipLocked().execute();
      const claims: Claim[] = [];
      for (const row of due) {
        const schedule = toSchedule(row);
        const period = plan(schedule);
        await trx.updateTable('schedules').set({ next_run_at: period.nextRunAt.getTime() }).where('id', '=', schedule.id).execute();
        const delivery = await this.#insertDelivery(trx, schedule.id, period, now);
        if (delivery) claims.push({ schedule, delivery });
      }
      return claims;
    });
  }

  /** SQLite: the UPDATE only succeeds for the caller that still sees the old next_run_at. */
  async #claimConditional(now: Date, limit: number, plan: (schedule: ScheduleRecord) => PeriodPlan): Promise<Claim[]> {
    const due = await dueSchedules(this.db, now, limit).execute();
    const claims: Claim[] = [];
    for (const row of due) {
      const schedule = toSchedule(row);
      const period = plan(schedule);
      const moved = await this.db
        .updateTable('schedules')
        .set({ next_run_at: period.nextRunAt.getTime() })
        .where('id', '=', schedule.id)
        .where('next_run_at', '=', Number(row.next_run_at))
        .where('paused', '=', 0)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) continue;
      const delivery = await this.#insertDelivery(this.db, schedule.id, period, now);
      if (delivery) claims.push({ schedule, delivery });
    }
    return claims;
  }

  async #insertDelivery(db: Db, scheduleId: string, period: PeriodPlan, now: Date): Promise<DeliveryRecord | null> {
    const row = await db
      .insertInto('deliveries')
      .values({
        schedule_id: scheduleId,
        period_key: period.periodKey,
        status: 'claimed' satisfies DeliveryStatus,
        late: period.late ? 1 : 0,
        skipped: period.skipped,
        attempts: 1,
        claimed_at: now.getTime(),
        finished_at: null,
        detail: null,
      })
      .onConflict((oc) => oc.columns(['schedule_id', 'period_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toDelivery(row);
  }

  async reclaimStale(now: Date, staleBefore: Date, maxAttempts: number): Promise<Claim[]> {
    const stale = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('status', '=', 'claimed' satisfies DeliveryStatus)
      .where('claimed_at', '<', staleBefore.getTime())
      .where('attempts', '<', maxAttempts)
      .limit(20)
      .execute();
    const claims: Claim[] = [];
    for (const row of stale) {
      const taken = await this.db
        .updateTable('deliveries')
        .set({ claimed_at: now.getTime(), attempts: Number(row.attempts) + 1 })
        .where('schedule_id', '=', row.schedule_id)
        .where('period_key', '=', row.period_key)
        .where('status', '=', 'claimed' satisfies DeliveryStatus)
        .where('claimed_at', '=', Number(row.claimed_at))
        .returningAll()
        .executeTakeFirst();
      if (!taken) continue;
      const schedule = await this.db.selectFrom('schedules').selectAll().where('id', '=', row.schedule_id).executeTakeFirst();
      if (schedule) claims.push({ schedule: toSchedule(schedule), delivery: toDelivery(taken) });
    }
    return claims;
  }

  async recordManualDelivery(scheduleId: string, periodKey: string, now: Date): Promise<boolean> {
    const delivery = await this.#insertDelivery(this.db, scheduleId, { periodKey, nextRunAt: now, late: false, skipped: 0 }, now);
    return delivery !== null;
  }

  async finishDelivery(scheduleId: string, periodKey: string, status: 'sent' | 'failed', at: Date, detail?: unknown): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({ status, finished_at: at.getTime(), detail: toJson(detail) })
      .where('schedule_id', '=', scheduleId)
      .where('period_key', '=', periodKey)
      .execute();
  }

  async listDeliveries(scheduleId: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('schedule_id', '=', scheduleId)
      .orderBy('claimed_at', 'desc')
      .orderBy('period_key', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }
}
