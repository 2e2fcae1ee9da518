/**
 * Hogbot's own state changes go through the plan pipeline too (issue 13): deleting a saved query is a confirmed,
 * audited write with Undo; pausing a digest is a low-risk setting (`confirm: 'skip'` on its command) that applies at once
 * but is still audited and undoable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDO_ACTION } from '../../views/audit.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttonValue, CHANNEL, Rig, T1, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const auditTitles = async () => (await rig.store.listAudit(T1, { limit: 20 })).map((e) => [e.title, e.outcome, e.command]);

describe('saved-query delete', () => {
  it('shows a plan, deletes on Confirm, is audited, and Undo saves it again', async () => {
    expect(textOf(await rig.ask('query save weekly SELECT count() FROM events', { user: ADMIN }))).toContain('Saved query `weekly`');
    const plan = await rig.ask('query delete weekly', { user: ADMIN });
    expect(textOf(plan)).toContain('Delete saved query weekly');
    expect(await rig.store.schedules.getQuery(T1, 'weekly')).not.toBeNull();

    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(done)).toContain('Deleted saved query `weekly`');
    expect(await rig.store.schedules.getQuery(T1, 'weekly')).toBeNull();
    expect(await auditTitles()).toContainEqual(['Delete saved query weekly', 'done', 'query delete']);

    expect(buttonValue(done, UNDO_ACTION)).toBe('query save weekly SELECT count() FROM events');
    const undone = await rig.clickAndWait(UNDO_ACTION, buttonValue(done, UNDO_ACTION), { user: ADMIN });
    expect(textOf(undone)).toContain('Saved query `weekly`');
    expect((await rig.store.schedules.getQuery(T1, 'weekly'))?.hogql).toBe('SELECT count() FROM events');
  });

  it('says so for a query that does not exist', async () => {
    expect(textOf(await rig.ask('query delete nothing-here', { user: ADMIN }))).toContain('There is no saved query `nothing-here`');
  });
});

describe('digest pause and resume', () => {
  it('applies at once (no Confirm), with an audit entry and an Undo that resumes', async () => {
    await rig.ask('query save signups SELECT count() FROM events', { user: ADMIN });
    const plan = await rig.ask(`digest add daily 09:00 <#${CHANNEL}|growth> "Pausable" --queries signups`, { user: ADMIN });
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    const id = (await rig.store.schedules.listSchedules(T1, 'digest')).find((d) => d.title === 'Pausable')!.id;

    const paused = await rig.ask(`digest pause ${id}`, { user: ADMIN });
    expect(textOf(paused)).toContain('Paused digest *Pausable*');
    expect((await rig.store.schedules.getSchedule(T1, id))?.paused).toBe(true);
    expect(await auditTitles()).toContainEqual(['Pause digest “Pausable”', 'done', 'digest pause']);

    expect(buttonValue(paused, UNDO_ACTION)).toBe(`digest resume ${id}`);
    const resumed = await rig.clickAndWait(UNDO_ACTION, buttonValue(paused, UNDO_ACTION), { user: ADMIN });
    expect(textOf(resumed)).toContain('Resumed digest *Pausable*');
    expect((await rig.store.schedules.getSchedule(T1, id))?.paused).toBe(false);
    expect(await auditTitles()).toContainEqual(['Resume digest “Pausable”', 'done', 'digest resume']);
  });
});
