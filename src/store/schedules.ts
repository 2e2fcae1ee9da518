/**
 * Saved HogQL queries, scheduled work (digests and alerts) and the record of every delivery. Part of the Store
 * (`store.schedules`); the same code runs on SQLite and Postgres.
 *
 * Exactly-once delivery rests on one row per (schedule, period) in `deliveries`: whoever inserts it owns that period.
 * On Postgres the due schedules are also claimed with `FOR UPDATE SKIP LOCKED`, so replicas split the work instead of
 * racing for it; on SQLite (one writer at a time) a conditional UPDATE of `next_run_at` does the same job.
 */
import type { ColumnType } from 'kysely';

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
