/**
 * Saved HogQL queries, scheduled work (digests and alerts) and the record of every delivery. Part of the Store
 * (`store.schedules`); the same code runs on SQLite and Postgres.
 *
 * Exactly-once delivery rests on one row per (schedule, period) in `deliveries`: whoever inserts it owns that period.
 * On Postgres the due schedules are also claimed with `FOR UPDATE SKIP LOCKED`, so replicas split the work instead of
 * racing for it; on SQLite (one writer at a time) a conditional UPDATE of `next_run_at` does the same job.
 */
import type { ColumnType, Kysely, Selectable } from 'kysely';

type Millis = ColumnType<number | string, number, number>;
type NullableMillis = ColumnType<number | string | null, number | null, number | null>;

export interface SavedQueriesTable {
  team_id: string;
  name: string;
  hogql: string;
  created_by: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface SchedulesTable {
  id: string;
  kind: string;
  team_id: string;
  enterprise_id: string | null;
  channel_id: string;
  title: string;
  /** JSON: the cadence (see src/scheduler/cadence.ts). */
  cadence: string;
  /** JSON: what to deliver (a digest's items, an alert's condition). */
  spec: string;
  /** JSON: what the last runs left behind (an alert's state and recent values). */
  state: string;
  created_by: string;
  created_at: Millis;
  /** 0 or 1. */
  paused: Millis;
  next_run_at: Millis;
  last_run_at: NullableMillis;
  last_outcome: string | null;
}

export interface DeliveriesTable {
  schedule_id: string;
  period_key: string;
  status: string;
  /** 0 or 1: delivered after its time (downtime), as the catch-up for missed periods. */
  late: Millis;
  /** Older periods skipped by this catch-up. */
  skipped: Millis;
  attempts: Millis;
  claimed_at: Millis;
  finished_at: NullableMillis;
  detail: string | null;
}

export interface ScheduleTables {
  saved_queries: SavedQueriesTable;
  schedules: SchedulesTable;
  deliveries: DeliveriesTable;
}

export interface SavedQuery {
  teamId: string;
  name: string;
  hogql: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type ScheduleKind = 'digest' | 'alert';

export interface ScheduleRecord {
  id: string;
  kind: ScheduleKind;
  teamId: string;
  enterpriseId: string | null;
  channelId: string;
  title: string;
  cadence: unknown;
  spec: unknown;
  state: unknown;
  createdBy: string;
  createdAt: Date;
  paused: boolean;
  nextRunAt: Date;
  lastRunAt: Date | null;
  lastOutcome: string | null;
}

export type NewSchedule = Omit<ScheduleRecord, 'lastRunAt' | 'lastOutcome' | 'paused'> & { paused?: boolean };

export type DeliveryStatus = 'claimed' | 'sent' | 'failed';

export interface DeliveryRecord {
  scheduleId: string;
  periodKey: string;
  status: DeliveryStatus;
  late: boolean;
  skipped: number;
  attempts: number;
  claimedAt: Date;
  finishedAt: Date | null;
  detail: unknown;
}

/** What the scheduler decided for one due schedule: the period to deliver and when to look again. */
export interface PeriodPlan {
  periodKey: string;
  nextRunAt: Date;
  late: boolean;
  skipped: number;
}

export interface Claim {
  schedule: ScheduleRecord;
  delivery: DeliveryRecord;
}

export interface ScheduleStore {
  /** 'exists' leaves the stored query as it was (pass `replace` to overwrite it). */
  saveQuery(query: Omit<SavedQuery, 'updatedAt'>, opts?: { replace?: boolean }): Promise<'created' | 'replaced' | 'exists'>;
  getQuery(teamId: string, name: string): Promise<SavedQuery | null>;
  listQueries(teamId: string): Promise<SavedQuery[]>;
  deleteQuery(teamId: string, name: string): Promise<boolean>;

  /** False when the id is taken. */
  createSchedule(schedule: NewSchedule): Promise<boolean>;
  getSchedule(teamId: string, id: string): Promise<ScheduleRecord | null>;
  /** A workspace's schedules, oldest first. */
  listSchedules(teamId: string, kind?: ScheduleKind): Promise<ScheduleRecord[]>;
  /** Pausing keeps `nextRunAt`; resuming sets it (so nothing missed while paused is delivered). False when absent. */
  setPaused(teamId: string, id: string, paused: boolean, nextRunAt?: Date): Promise<boolean>;
  deleteSchedule(teamId: string, id: string): Promise<boolean>;
  /** What a run leaves behind: its outcome line and, for alerts, the state the next check starts from. */
  recordRun(id: string, at: Date, outcome: string, state?: unknown): Promise<void>;

  /**
   * Claims up to `limit` due schedules (unpaused, `next_run_at <= now`): for each, `plan` picks the period; the
   * schedule moves to `plan.nextRunAt` and a `claimed` delivery row is written for the period. A period that already
   * has a row (another replica, an earlier run) is not claimed again.
   */
  claimDue(now: Date, limit: number, plan: (schedule: ScheduleRecord) => PeriodPlan): Promise<Claim[]>;
  /**
   * Deliveries claimed before `staleBefore` and never finished (the process died mid-send) are claimed again, once:
   * better one late (possibly repeated) digest than a silently lost one.
   */
  reclaimStale(now: Date, staleBefore: Date, maxAttempts: number): Promise<Claim[]>;
  /** Records a delivery that does not come from the schedule (Run now); false if the key was used. */
  recordManualDelivery(scheduleId: string, periodKey: string, now: Date): Promise<boolean>;
  finishDelivery(scheduleId: string, periodKey: string, status: 'sent' | 'failed', at: Date, detail?: unknown): Promise<void>;
  /** Newest first. */
  listDeliveries(scheduleId: string, limit: number): Promise<DeliveryRecord[]>;
}

const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const toJson = (value: unknown): string => JSON.stringify(value ?? null);
const dateOrNull = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)));

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
    const row = await this.db.selectFrom('saved_queries').selectAll().where('team_id', '=', teamId).where('name', '=', name).executeTakeFirst();
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
      const due = await trx
        .selectFrom('schedules')
        .selectAll()
        .where('paused', '=', 0)
        .where('next_run_at', '<=', now.getTime())
        .orderBy('next_run_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
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
    const due = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('paused', '=', 0)
      .where('next_run_at', '<=', now.getTime())
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
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
