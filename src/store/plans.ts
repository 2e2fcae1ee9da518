/**
 * Plans (writes waiting for Confirm). Every move out of a waiting status is one conditional UPDATE, so the database
 * arbitrates between double clicks, retries and replicas without explicit locks.
 */
import type { Selectable } from 'kysely';
import { StoreError } from './errors.js';
import { type Db, fromJson, toJson } from './rows.js';
import type { PlansTable } from './schema.js';
import type { NewPlan, PlanRecord, PlanStatus } from './store.js';

/** The statuses a plan waits in: for its initiator's Confirm, or for another member's approval. */
export type WaitingStatus = Extract<PlanStatus, 'pending' | 'awaiting_approval'>;

export function toPlan(row: Selectable<PlansTable>): PlanRecord {
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

export async function createPlan(db: Db, plan: NewPlan): Promise<void> {
  await db
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

export async function getPlan(db: Db, id: string): Promise<PlanRecord | null> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toPlan(row);
}

/**
 * Moves a live plan from `from` to executing; null when another caller won or the plan has lapsed. With
 * `notInitiator` the initiator cannot take it (an approval must come from someone else).
 */
export async function takePlan(
  db: Db,
  id: string,
  from: WaitingStatus,
  by: string,
  nowMs: number,
  opts: { notInitiator?: boolean } = {},
): Promise<PlanRecord | null> {
  let update = db
    .updateTable('plans')
    .set({ status: 'executing' satisfies PlanStatus, decided_by: by })
    .where('id', '=', id)
    .where('status', '=', from)
    .where('expires_at', '>', nowMs);
  if (opts.notInitiator === true) update = update.where('user_id', '<>', by);
  const claimed = await update.returningAll().executeTakeFirst();
  if (claimed !== undefined) return toPlan(claimed);
  // Lost the race, or too late: record the expiry so the plan reads as expired from now on.
  await db
    .updateTable('plans')
    .set({ status: 'expired' satisfies PlanStatus })
    .where('id', '=', id)
    .where('status', '=', from)
    .where('expires_at', '<=', nowMs)
    .execute();
  return null;
}

/** Cancels a plan still waiting in `from`; false when it has already moved on. */
export async function cancelWaiting(db: Db, id: string, from: WaitingStatus, by: string): Promise<boolean> {
  const result = await db
    .updateTable('plans')
    .set({ status: 'cancelled' satisfies PlanStatus, decided_by: by })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function claimPlan(db: Db, id: string, by: string, now: Date): Promise<PlanRecord | null> {
  return takePlan(db, id, 'pending', by, now.getTime());
}

export async function cancelPlan(db: Db, id: string, by: string): Promise<boolean> {
  return cancelWaiting(db, id, 'pending', by);
}

export async function finishPlan(db: Db, id: string, status: 'done' | 'failed', outcome: unknown): Promise<void> {
  const result = await db
    .updateTable('plans')
    .set({ status, outcome: toJson(outcome) })
    .where('id', '=', id)
    .where('status', '=', 'executing' satisfies PlanStatus)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new StoreError('plan_not_executing', `plan ${id} cannot be finished: it was not claimed or is already finished`);
  }
}
