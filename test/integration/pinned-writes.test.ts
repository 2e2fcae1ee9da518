/**
 * One rule for every write (issue 13): a plan records the connection and project it was made against; Confirm applies
 * there, or refuses when the workspace has switched to another connection since. Dashboards pinned only their project
 * before; the pipeline (src/plans/pinned-target.ts) now pins both for every command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { askConfirmed } from '../rig/confirm.js';
import { ADMIN, buttonValue, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const dashboardsNamed = (projectId: number, name: string) =>
  (rig.emulator.state.project(projectId)?.dashboards ?? []).filter((d) => d.name === name && d.deleted !== true);

describe('writes are pinned to the connection and project their plan showed', () => {
  it('applies in the plan’s project even after the workspace switched project', async () => {
    // Switching project or connection is itself a write (issue 11): plan, then Confirm.
    expect(textOf(await askConfirmed(rig, 'project use 1001', { user: ADMIN }))).toContain('Acme Web');
    const plan = await rig.ask('dashboard create "Pinned to web"', { user: ADMIN });
    expect(textOf(plan)).toContain('Acme Web (1001)');
    expect(textOf(await askConfirmed(rig, 'project use 1002', { user: ADMIN }))).toContain('Acme Mobile');
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(done)).toContain('Created dashboard');
    expect(dashboardsNamed(1001, 'Pinned to web')).toHaveLength(1);
    expect(dashboardsNamed(1002, 'Pinned to web')).toHaveLength(0);
    await askConfirmed(rig, 'project use 1001', { user: ADMIN });
  });

  it('refuses, changing nothing, when the workspace moved to another connection after the plan', async () => {
    const plan = await rig.ask('dashboard create "Made on acme"', { user: ADMIN });
    expect(textOf(await askConfirmed(rig, 'connection use conn_globex', { user: ADMIN }))).toContain('conn_globex');
    const refused = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(refused)).toContain('This plan was made on connection');
    expect(textOf(refused)).toContain('Nothing was changed');
    expect(dashboardsNamed(1001, 'Made on acme')).toHaveLength(0);
    expect(dashboardsNamed(2001, 'Made on acme')).toHaveLength(0);
    // The audit log has no entry for it: nothing was applied.
    expect(textOf(await rig.ask('audit', { user: ADMIN }))).not.toContain('Made on acme');
  });
});
