/**
 * Flag writes as PostHog really answers them (issue 10): stale edits refused with 409 when the write carries `version` +
 * `original_flag`, approval policies holding a change (409 approval_required / change_request_pending, 403 deny), and
 * the 400 refusals PostHog explains (dependent flags, running experiments). The emulator mirrors PostHog on each (see
 * test/contract/posthog-flag-writes.test.ts); these drive the real app.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINK_ACTION, UNDO_ACTION } from '../../views/audit.js';
import { PLAN_APPROVE_ACTION, PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttons, buttonValue, MATON_KEY, MEMBER, Rig, T1, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});
beforeEach(async () => {
  rig.emulator.reset();
  rig.emulator.faults.clear();
  await control('DELETE', '/_emulator/projects/1001/approval-policy');
});

const FLAGS = '/posthog/api/projects/1001/feature_flags/';
const flag = (key: string) => rig.emulator.state.flag(1001, key)!;

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${rig.emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function confirm(command: string) {
  const plan = await rig.ask(command);
  return rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
}

describe('a flag edited in PostHog between Hogbot’s read and its write', () => {
  it('keeps the colleague’s edit: PostHog refuses the stale write (409) and the user gets a fresh plan', async () => {
    const plan = await rig.ask('flag rollout ai-insights 25');
    const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
    const id = flag('ai-insights').id;
    const path = `${FLAGS}${id}/`;
    const versionRead = flag('ai-insights').version;
    // A colleague saves the flag in PostHog's UI after Hogbot's reads and just before its PATCH is handled: the
    // emulator lands the queued edit at the start of the flag's next write (no timing involved).
    const filters = structuredClone(flag('ai-insights').filters);
    (filters.groups as unknown[]).push({
      properties: [{ key: 'plan', value: ['pro'], operator: 'exact', type: 'person' }],
      rollout_percentage: 40,
      variant: null,
    });
    expect(
      (await control('POST', `/_emulator/projects/1001/feature_flags/${id}/colleague-edit`, { filters, by: 'colleague@acme.example' }))
        .status,
    ).toBe(201);
    const from = rig.emulator.requests.length;
    const { responseUrl } = await rig.click(PLAN_CONFIRM_ACTION, planId);

    const reply = await rig.replyOn(responseUrl);
    // Hogbot read the flag before the colleague's save (Confirm's re-check and the apply), then wrote with what it read.
    const sent = rig.emulator.requests.slice(from);
    const patchAt = sent.findIndex((r) => r.method === 'PATCH' && r.path === path);
    expect(sent.slice(0, patchAt).filter((r) => r.method === 'GET' && r.path === path).length).toBeGreaterThanOrEqual(1);
    expect(sent[patchAt]!.body).toMatchObject({ version: versionRead });
    expect(sent[patchAt]!.status).toBe(409);
    // Only the colleague's save moved the version: Hogbot's stale write was refused.
    expect(flag('ai-insights').version).toBe(versionRead + 1);
    expect((flag('ai-insights').last_modified_by as { email?: string }).email).toBe('colleague@acme.example');
    const patch = rig.emulator.requests.slice(from).find((r) => r.method === 'PATCH' && r.path === path)!;
    expect(patch.body).toMatchObject({ version: expect.any(Number), original_flag: { id, key: 'ai-insights' } });
    // Nothing overwritten: the colleague's second condition and the first condition's 10% are still there.
    const groups = flag('ai-insights').filters.groups as Array<{ rollout_percentage: number }>;
    expect(groups).toHaveLength(2);
    expect(groups[0]!.rollout_percentage).toBe(10);
    // A fresh plan from the current state, not "done".
    expect(textOf(reply)).toContain('Nothing was changed');
    expect(textOf(reply)).not.toContain('Rolled out');
    expect(buttonValue(reply, PLAN_CONFIRM_ACTION)).not.toBe(planId);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry!.outcome).toBe('failed');
    expect(entry!.detail).toContain('nothing was overwritten');
  });

  it('sends version and original_flag on every flag write (on/off, delete, restore)', async () => {
    const from = rig.emulator.requests.length;
    await confirm('flag off dark-mode');
    await confirm('flag delete dark-mode');
    const patches = rig.emulator.requests.slice(from).filter((r) => r.method === 'PATCH' && r.path.startsWith(FLAGS));
    expect(patches).toHaveLength(2);
    for (const p of patches) expect(p.body).toMatchObject({ version: expect.any(Number), original_flag: { key: 'dark-mode' } });
  });
});

describe('a flag under a PostHog approval policy', () => {
  it('says the change waits for approval, names the change request and approvers, links to it, audits it as pending', async () => {
    expect((await control('POST', '/_emulator/projects/1001/approval-policy', { approvers: { users: [42, 99], quorum: 1 } })).status).toBe(
      201,
    );
    const reply = await confirm('flag off dark-mode');
    const [request] = (
      (await (await control('GET', '/_emulator/projects/1001/change-requests')).json()) as { results: Array<{ id: string }> }
    ).results;
    const text = textOf(reply);
    expect(text).toContain('waits for approval in PostHog');
    expect(text).toContain(request!.id.slice(0, 8));
    expect(text).toContain('users 42, 99');
    expect(text).not.toContain('HTTP 409');
    expect(text).not.toContain('Turned');
    expect(buttons(reply, LINK_ACTION)[0]!.url).toBe(`${rig.config.posthogAppUrl}/project/1001/approvals/${request!.id}`);
    expect(buttons(reply, UNDO_ACTION)).toHaveLength(0);
    expect(flag('dark-mode').active).toBe(true);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry!.outcome).toBe('pending_posthog');
    expect(entry!.detail).toContain(request!.id);
    expect(textOf(await rig.ask('audit'))).toContain('pending approval in PostHog');

    const again = textOf(await confirm('flag off dark-mode'));
    expect(again).toContain('already waiting for approval in PostHog');
  });

  it('after a Hogbot approval too: the request in the channel says it now waits in PostHog, not "applied"', async () => {
    await rig.store.setApprovalsRequired(T1, true, ADMIN, new Date());
    await rig.store.setGrant({ teamId: T1, userId: MEMBER, role: 'writer', grantedBy: ADMIN, grantedAt: new Date() });
    try {
      await control('POST', '/_emulator/projects/1001/approval-policy', { approvers: { users: [42], quorum: 1 } });
      const plan = await rig.ask('flag off dark-mode', { user: MEMBER });
      const since = rig.slack.calls.length;
      await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: MEMBER });
      const request = rig.slack.calls.slice(since).find((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts !== undefined)!;
      const parent = rig.slack.calls.slice(since).find((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts === undefined)!;
      const planId = buttonValue({ body: { blocks: request.args.blocks } }, PLAN_APPROVE_ACTION);
      const { responseUrl } = await rig.click(PLAN_APPROVE_ACTION, planId, { user: ADMIN }, { message_ts: String(request.args.thread_ts) });
      expect(textOf(await rig.replyOn(responseUrl))).toContain('waits for approval in PostHog');
      const update = await rig.slack.waitForCall('chat.update', (c) => c.args.ts === (parent.result as { ts: string }).ts);
      const verdict = textOf({ blocks: update.args.blocks });
      expect(verdict).toContain('now waiting for approval in PostHog');
      expect(verdict).not.toContain('and applied');
    } finally {
      await rig.store.setApprovalsRequired(T1, false, ADMIN, new Date());
      await rig.store.revokeGrant(T1, MEMBER);
    }
  });

  it('names approvers from PostHog’s organization members and roles, by id where PostHog has no name', async () => {
    // posthog/api/organization_member.py and ee/api/rbac/role.py, emulated in src/emulator/resources/members.ts.
    expect(
      (
        await control('POST', '/_emulator/accounts/acme/members', {
          id: 42,
          first_name: 'Grace',
          last_name: 'Hopper',
          email: 'grace@acme.com',
        })
      ).status,
    ).toBe(201);
    const role = (
      (await (await control('POST', '/_emulator/accounts/acme/roles', { name: 'Release managers' })).json()) as { role: { id: string } }
    ).role;
    await control('POST', '/_emulator/projects/1001/approval-policy', { approvers: { users: [42, 99], roles: [role.id], quorum: 2 } });
    const text = textOf(await confirm('flag off dark-mode'));
    expect(text).toContain('needing 2 approvals from Grace Hopper (grace@acme.com), user 99 or role Release managers');
    expect(text).not.toContain(role.id);
    const paths = rig.emulator.requests.map((r) => r.path);
    expect(paths.some((p) => p.includes('/api/organizations/@current/members/'))).toBe(true);
    expect(paths.some((p) => p.includes('/api/organizations/@current/roles/'))).toBe(true);
  });

  it('falls back to ids when PostHog’s members and roles lookups fail', async () => {
    await control('POST', '/_emulator/accounts/acme/members', {
      id: 42,
      first_name: 'Grace',
      last_name: 'Hopper',
      email: 'grace@acme.com',
    });
    await control('POST', '/_emulator/projects/1001/approval-policy', { approvers: { users: [42], roles: ['0190-role'], quorum: 1 } });
    rig.emulator.faults.inject({ kind: 'status', status: 403, path: '/api/organizations/', times: 'always' });
    const reply = await confirm('flag off dark-mode');
    const text = textOf(reply);
    expect(text).toContain('waits for approval in PostHog');
    expect(text).toContain('needing 1 approval from user 42 or role 0190-role');
    expect(buttons(reply, UNDO_ACTION)).toHaveLength(0);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry!.outcome).toBe('pending_posthog');
  });

  it('a policy that denies: the answer says the approval policy does not allow it', async () => {
    await control('POST', '/_emulator/projects/1001/approval-policy', { mode: 'deny', reason: 'Flags are frozen for the launch' });
    const text = textOf(await confirm('flag off dark-mode'));
    expect(text).toContain('not allowed by approval policy');
    expect(text).toContain('Flags are frozen for the launch');
    expect(flag('dark-mode').active).toBe(true);
  });
});

describe('refusals PostHog explains', () => {
  it('disabling a flag other flags depend on: PostHog’s reason, plainly', async () => {
    const dark = flag('dark-mode');
    const res = await fetch(`${rig.emulator.url}${FLAGS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MATON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: 'dark-mode-extras',
        filters: {
          groups: [
            { properties: [{ key: String(dark.id), type: 'flag', value: 'true', operator: 'flag_evaluates_to' }], rollout_percentage: 100 },
          ],
        },
      }),
    });
    expect(res.status).toBe(201);
    const text = textOf(await confirm('flag off dark-mode'));
    expect(text).toContain(
      'PostHog refused the change: Cannot disable this feature flag because other flags depend on it: dark-mode-extras',
    );
    expect(text).not.toContain('Fix it and try again');
    expect(flag('dark-mode').active).toBe(true);
  });

  it('deleting a flag an early access feature uses: PostHog’s reason, plainly', async () => {
    const res = await fetch(`${rig.emulator.url}/posthog/api/projects/1001/early_access_feature/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MATON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'AI summaries beta', feature_flag_id: flag('ai-insights').id }),
    });
    expect(res.status).toBe(201);
    const text = textOf(await confirm('flag delete ai-insights'));
    expect(text).toContain('PostHog refused the change: Cannot delete a feature flag that is in use with early access features');
    expect(flag('ai-insights').deleted).toBe(false);
  });

  it('deleting a flag a running experiment uses: PostHog’s reason, plainly', async () => {
    const text = textOf(await confirm('flag delete new-onboarding-flow'));
    expect(text).toContain(
      'Cannot delete a feature flag that is linked to running experiment(s): &quot;New onboarding flow&quot;'.replace(/&quot;/g, '"'),
    );
    expect(flag('new-onboarding-flow').deleted).toBe(false);
  });
});
