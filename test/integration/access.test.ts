import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/fake-slack/index.js';
import { UNDO_ACTION } from '../../views/audit.js';
import { PLAN_APPROVE_ACTION, PLAN_CONFIRM_ACTION, PLAN_REJECT_ACTION } from '../../views/plan.js';
import { ADMIN, ADMIN_T2, buttonValue, CHANNEL, MATON_KEY, MEMBER, Rig, T1, T2, textOf } from '../rig/harness.js';

const READER = 'U0READER001';
const WRITER = 'U0WRITER001';
const FLAGS = '/posthog/api/projects/1001/feature_flags/';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start({
    users: [
      { id: ADMIN, teamId: T1, name: 'ana', realName: 'Ana Admin', tz: 'America/Los_Angeles', isAdmin: true },
      { id: MEMBER, teamId: T1, name: 'max', realName: 'Max Member', tz: 'Europe/Berlin' },
      { id: READER, teamId: T1, name: 'rita', realName: 'Rita Reader', tz: 'UTC' },
      { id: WRITER, teamId: T1, name: 'wes', realName: 'Wes Writer', tz: 'UTC' },
      { id: ADMIN_T2, teamId: T2, name: 'gus', realName: 'Gus Globex', tz: 'UTC', isOwner: true },
    ],
  });
});
afterAll(async () => {
  await rig?.close();
});

const patchesSince = (from: number) => rig.emulator.requests.slice(from).filter((r) => r.method === 'PATCH' && r.path.startsWith(FLAGS));

async function confirm(text: string, user = ADMIN) {
  const plan = await rig.ask(text, { user });
  return rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user });
}

describe('roles', () => {
  it('shows everyone their role and where it comes from', async () => {
    expect(textOf(await rig.ask('access', { user: MEMBER }))).toContain('are a *reader*, everyone starts as a reader');
    const admin = textOf(await rig.ask('access', { user: ADMIN }));
    expect(admin).toContain('are a *admin*, as a Slack workspace admin or owner');
    expect(admin).toContain('Nobody has been granted a role yet');
  });

  it('grants writer after Confirm (admin only), and the grant takes effect at once', async () => {
    expect(textOf(await rig.ask('flag off dark-mode', { user: MEMBER }))).toContain('needs the writer role; you are a reader');
    expect(textOf(await rig.ask(`access grant <@${READER}|rita> writer`, { user: MEMBER }))).toContain('needs the admin role');

    const plan = await rig.ask(`access grant <@${MEMBER}|max> writer`);
    expect(textOf(plan)).toContain('Confirm: Make Max Member a writer');
    expect(textOf(plan)).toMatch(/Hogbot role\*: reader → \*writer/);
    expect(await rig.store.getGrant(T1, MEMBER)).toBeNull();
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain(`<@${MEMBER}> is now a Hogbot *writer*`);
    expect(await rig.store.getGrant(T1, MEMBER)).toMatchObject({ role: 'writer', grantedBy: ADMIN });
    expect(buttonValue(done, UNDO_ACTION)).toBe(`access revoke <@${MEMBER}>`);

    expect(textOf(await rig.ask('flag off dark-mode', { user: MEMBER }))).toContain('Confirm: Turn off dark-mode');
    expect(textOf(await rig.ask('access', { user: ADMIN }))).toContain(`<@${MEMBER}>: *writer* (by <@${ADMIN}>`);
    // Workspace settings stay with admins, writers included.
    expect(textOf(await rig.ask('connection use conn_globex', { user: MEMBER }))).toContain('needs the admin role; you are a writer');
    expect(textOf(await rig.ask('project use 1002', { user: MEMBER }))).toContain('needs the admin role; you are a writer');
  });

  it('refuses what cannot be granted, clearly', async () => {
    expect(textOf(await rig.ask(`access grant <@${ADMIN}|ana> writer`))).toContain(
      'Slack workspace admin or owner, so always a Hogbot admin',
    );
    expect(textOf(await rig.ask(`access grant <@${MEMBER}|max> writer`))).toContain('already a writer');
    expect(textOf(await rig.ask('access grant <@U0NOBODY01|nobody> writer'))).toContain('There is no Slack user');
    const owner = textOf(await rig.ask(`access grant <@${READER}|rita> owner`));
    expect(owner).toContain('&lt;role&gt;: is writer or admin');
    expect(textOf(await rig.ask('access grant rita writer'))).toContain('is a Slack user: mention them');
  });

  it('revokes after Confirm; Undo grants the role back through another plan', async () => {
    await confirm(`access grant <@${WRITER}|wes> admin`);
    expect(await rig.store.getGrant(T1, WRITER)).toMatchObject({ role: 'admin' });
    const done = await confirm(`access revoke <@${WRITER}|wes>`);
    expect(textOf(done)).toContain('is now a Hogbot *reader*');
    expect(await rig.store.getGrant(T1, WRITER)).toBeNull();
    const undoPlan = await rig.clickAndWait(UNDO_ACTION, buttonValue(done, UNDO_ACTION));
    expect(textOf(undoPlan)).toContain('Confirm: Make Wes Writer a admin');
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(undoPlan, PLAN_CONFIRM_ACTION));
    expect(await rig.store.getGrant(T1, WRITER)).toMatchObject({ role: 'admin' });
    await confirm(`access grant <@${WRITER}|wes> writer`);
  });

  it('keeps grants per workspace', async () => {
    expect(textOf(await rig.ask('access', { team: T2, user: ADMIN_T2 }))).toContain('Nobody has been granted a role yet');
  });
});

describe('approvals', () => {
  beforeEach(() => {
    rig.emulator.reset();
  });

  function approvalPosts(since: number): { parent: RecordedCall; request: RecordedCall } {
    const posts = rig.slack.calls.slice(since).filter((c) => c.method === 'chat.postMessage' && c.ok);
    const parent = posts.find((c) => c.args.thread_ts === undefined && String(c.args.text).startsWith('Approval needed'))!;
    const request = posts.find((c) => c.args.thread_ts !== undefined)!;
    return { parent, request };
  }

  /** MEMBER (a writer) plans and confirms; returns the plan id and the approval posts. */
  async function requestApproval(text: string) {
    const plan = await rig.ask(text, { user: MEMBER });
    expect(textOf(plan)).toContain('then a second writer or admin approves');
    const since = rig.slack.calls.length;
    const waiting = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: MEMBER });
    expect(textOf(waiting)).toContain('is waiting for approval');
    expect(waiting.body.replace_original).toBe(true);
    const posts = approvalPosts(since);
    const planId = buttonValue({ body: { blocks: posts.request.args.blocks } }, PLAN_APPROVE_ACTION);
    return { planId, ...posts };
  }

  const approve = (planId: string, user: string, threadTs: string) =>
    rig.click(PLAN_APPROVE_ACTION, planId, { user }, { message_ts: threadTs }).then(({ responseUrl }) => rig.replyOn(responseUrl));

  it('turns on only after Confirm by an admin', async () => {
    expect(textOf(await rig.ask('access approvals on', { user: MEMBER }))).toContain('needs the admin role');
    const done = await confirm('access approvals on');
    expect(textOf(done)).toContain('Approvals are *on*');
    expect((await rig.store.getPolicy(T1)).approvalsRequired).toBe(true);
  });

  it('makes a writer’s change wait for a second person, posted in a thread under the plan; the approver applies it once', async () => {
    const from = rig.emulator.requests.length;
    const { planId, parent, request } = await requestApproval('flag off dark-mode');
    expect(parent.args.channel).toBe(CHANNEL);
    expect(textOf({ text: String(parent.args.text), blocks: parent.args.blocks })).toMatch(/Active\*: on → \*off/);
    const threadTs = String(request.args.thread_ts);
    expect(threadTs).toBe((parent.result as { ts: string }).ts);
    expect(patchesSince(from)).toHaveLength(0);
    expect((await rig.store.getPlan(planId))?.status).toBe('awaiting_approval');

    expect(textOf(await approve(planId, MEMBER, threadTs))).toContain('someone else must approve it');
    expect(textOf(await approve(planId, READER, threadTs))).toContain('Approving this needs the writer role; you are a reader');
    expect(patchesSince(from)).toHaveLength(0);

    const [first, second] = await Promise.all([approve(planId, ADMIN, threadTs), approve(planId, WRITER, threadTs)]);
    const texts = [textOf(first), textOf(second)].join('\n');
    expect(texts).toContain('Turned *off*');
    expect(texts).toMatch(/already (confirmed|being applied)/);
    // Every flag write also carries the flag as read (version, original_flag) so PostHog can refuse a stale one (issue 10).
    expect(patchesSince(from).map((r) => r.body)).toMatchObject([{ active: false, version: expect.any(Number) }]);
    expect(patchesSince(from)).toHaveLength(1);
    const winner = textOf(first).includes('Turned') ? first : second;
    expect(winner.body.replace_original).toBe(true);

    const update = await rig.slack.waitForCall('chat.update', (c) => c.args.ts === (parent.result as { ts: string }).ts);
    expect(textOf({ blocks: update.args.blocks })).toMatch(/Approved by <@U0(ADMIN0001|WRITER001)> and applied/);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry).toMatchObject({ userId: MEMBER, confirmedBy: MEMBER, command: 'flag off', outcome: 'done' });
    expect([ADMIN, WRITER]).toContain(entry!.approvedBy);
  });

  it('a rejected change never runs', async () => {
    const from = rig.emulator.requests.length;
    const { planId, request } = await requestApproval('flag off ai-insights');
    const { responseUrl } = await rig.click(PLAN_REJECT_ACTION, planId, { user: ADMIN }, { message_ts: String(request.args.thread_ts) });
    const rejected = await rig.replyOn(responseUrl);
    expect(textOf(rejected)).toContain('Rejected. Nothing was changed');
    expect(textOf(await approve(planId, WRITER, String(request.args.thread_ts)))).toContain('Cancelled');
    expect(patchesSince(from)).toHaveLength(0);
  });

  it('an approver is refused when the flag changed in PostHog since the request', async () => {
    const { planId, request } = await requestApproval('flag off ai-insights');
    const id = rig.emulator.state.flag(1001, 'ai-insights')!.id;
    const res = await fetch(`${rig.emulator.url}${FLAGS}${id}/`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${MATON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'renamed in PostHog' }),
    });
    expect(res.status).toBe(200);
    const from = rig.emulator.requests.length;
    const answer = await approve(planId, ADMIN, String(request.args.thread_ts));
    expect(textOf(answer)).toContain('changed in PostHog after the plan was shown');
    expect(textOf(answer)).toContain(`<@${MEMBER}> can run the command again`);
    expect(patchesSince(from)).toHaveLength(0);
  });

  it('an admin’s own change applies on Confirm; turning approvals off needs an admin too', async () => {
    const from = rig.emulator.requests.length;
    expect(textOf(await confirm('flag off dark-mode'))).toContain('Turned *off*');
    expect(patchesSince(from)).toHaveLength(1);
    await confirm('access approvals off');
    expect((await rig.store.getPolicy(T1)).approvalsRequired).toBe(false);
    expect(textOf(await confirm('flag on dark-mode', MEMBER))).toContain('Turned *on*');
  });

  it('every message the bot posted or updated through the Web API was accepted', () => {
    const posts = rig.slack.calls.filter((c) => c.method.startsWith('chat.'));
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.filter((c) => !c.ok)).toEqual([]);
  });
});
