/** Two-person approval of plans: the request, where its message was posted, and the one decision. */
import type { Db } from './rows.js';
import { cancelWaiting, takePlan } from './plans.js';
import type { ApprovalRecord, PlanRecord, PlanStatus } from './store.js';

export async function requestApproval(db: Db, id: string, by: string, now: Date, expiresAt: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
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
      .values({
        plan_id: id,
        requested_by: by,
        requested_at: now.getTime(),
        channel_id: null,
        message_ts: null,
        thread_ts: null,
        decided_by: null,
        decision: null,
        decided_at: null,
      })
      .onConflict((oc) => oc.column('plan_id').doUpdateSet({ requested_by: by, requested_at: now.getTime() }))
      .execute();
    return true;
  });
}

export async function setApprovalMessage(
  db: Db,
  id: string,
  where: { channelId: string; messageTs: string; threadTs: string | null },
): Promise<void> {
  await db
    .updateTable('plan_approvals')
    .set({ channel_id: where.channelId, message_ts: where.messageTs, thread_ts: where.threadTs })
    .where('plan_id', '=', id)
    .execute();
}

export async function getApproval(db: Db, id: string): Promise<ApprovalRecord | null> {
  const row = await db.selectFrom('plan_approvals').selectAll().where('plan_id', '=', id).executeTakeFirst();
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

/** The same single conditional UPDATE as a Confirm: exactly one approver (or replica) wins; never the initiator. */
export async function approvePlan(db: Db, id: string, by: string, now: Date): Promise<PlanRecord | null> {
  const claimed = await takePlan(db, id, 'awaiting_approval', by, now.getTime(), { notInitiator: true });
  if (claimed !== null) await decide(db, id, by, 'approved', now.getTime());
  return claimed;
}

export async function rejectPlan(db: Db, id: string, by: string, now: Date): Promise<boolean> {
  if (!(await cancelWaiting(db, id, 'awaiting_approval', by))) return false;
  await decide(db, id, by, 'rejected', now.getTime());
  return true;
}

async function decide(db: Db, id: string, by: string, decision: 'approved' | 'rejected', atMs: number): Promise<void> {
  await db.updateTable('plan_approvals').set({ decided_by: by, decision, decided_at: atMs }).where('plan_id', '=', id).execute();
}
