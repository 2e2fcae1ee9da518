import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_T2, Rig, T1, textOf } from '../rig/harness.js';

// Issue 15 item 6: plans named the workspace by its id. They now read its name with team.info (scope team:read,
// https://api.slack.com/methods/team.info), cached per team; when Slack won't say, "this workspace".
let rig: Rig;
beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const teamInfoCalls = () => rig.slack.calls.filter((c) => c.method === 'team.info');

describe('plans name the workspace', () => {
  it('shows the workspace’s name from team.info, and asks Slack once for several plans', async () => {
    const before = teamInfoCalls().length;
    const plan = textOf(await rig.ask('access approvals on', { user: ADMIN }));
    expect(plan).toContain('Acme');
    expect(plan).not.toContain(T1);
    expect(plan).not.toContain('this workspace');
    expect(textOf(await rig.ask('access approvals on', { user: ADMIN }))).toContain('Acme');
    expect(teamInfoCalls().length - before).toBe(1);
    expect(teamInfoCalls().at(-1)?.args.team).toBe(T1);
  });

  it('says "this workspace" when team.info refuses (this token does not reach the other workspace)', async () => {
    const plan = textOf(await rig.ask('access approvals on', { team: 'T0000000002', user: ADMIN_T2 }));
    expect(teamInfoCalls().at(-1)?.result).toMatchObject({ ok: false, error: 'team_not_found' });
    expect(plan).toContain('this workspace');
    expect(plan).not.toContain('T0000000002');
  });
});
