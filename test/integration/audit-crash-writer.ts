/**
 * Run by test/integration/audit.test.ts as a separate process: it writes a pending plan, and a plan caught mid-apply with
 * its `executing` audit entry, says "written", then waits to be killed with SIGKILL. Nothing here closes the store:
 * what the parent finds afterwards is what a crash leaves behind.
 *
 * argv: <databaseUrl> <json: { teamId, userId, channelId, pendingPlanId, pendingPayload, crashedPlanId, auditId }>
 */
import { openStore } from '../../src/store/open.js';

const [databaseUrl, specJson] = process.argv.slice(2);
if (!databaseUrl || !specJson) throw new Error('usage: audit-crash-writer <databaseUrl> <spec json>');
const spec = JSON.parse(specJson) as {
  teamId: string;
  userId: string;
  channelId: string;
  pendingPlanId: string;
  pendingPayload: unknown;
  crashedPlanId: string;
  auditId: string;
};

const store = await openStore(databaseUrl);
const now = new Date();
const later = new Date(now.getTime() + 15 * 60_000);
const base = { teamId: spec.teamId, userId: spec.userId, channelId: spec.channelId, command: 'flag off', createdAt: now, expiresAt: later };

await store.createPlan({ ...base, id: spec.pendingPlanId, payload: spec.pendingPayload });
await store.createPlan({ ...base, id: spec.crashedPlanId, payload: { title: 'Turn off beta-dashboard', data: {} } });
await store.claimPlan(spec.crashedPlanId, spec.userId, now);
await store.appendAudit({
  id: spec.auditId,
  teamId: spec.teamId,
  at: now,
  userId: spec.userId,
  confirmedBy: spec.userId,
  approvedBy: null,
  command: 'flag off',
  title: 'Turn off beta-dashboard',
  connectionId: null,
  projectId: 1001,
  objectType: 'feature_flag',
  objectId: null,
  objectLabel: 'beta-dashboard',
  before: { active: true },
  after: { active: false },
  outcome: 'executing',
  detail: null,
  planId: spec.crashedPlanId,
});
process.stdout.write('written\n');
setInterval(() => {}, 60_000);
