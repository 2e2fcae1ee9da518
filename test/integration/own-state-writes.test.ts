/**
 * Hogbot's own state changes go through the plan pipeline too (issue 13): deleting a saved query is a confirmed,
 * audited write with Undo; saving one and pausing a digest are low-risk settings (`confirm: 'skip'` on their commands)
 * that apply at once but are still audited and undoable.
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

describe('saved-query save (a low-risk write: no Confirm, still planned, audited and undoable)', () => {
  it('saves at once with an audit entry; Undo deletes it (through the delete plan, which warns about digests)', async () => {
    const saved = await rig.ask('query save fresh SELECT count() FROM events', { user: ADMIN });
    expect(textOf(saved)).toContain('Saved query `fresh`');
    expect((await rig.store.schedules.getQuery(T1, 'fresh'))?.hogql).toBe('SELECT count() FROM events');
    expect(await auditTitles()).toContainEqual(['Save saved query fresh', 'done', 'query save']);

    expect(buttonValue(saved, UNDO_ACTION)).toBe('query delete fresh');
    const plan = await rig.clickAndWait(UNDO_ACTION, buttonValue(saved, UNDO_ACTION), { user: ADMIN });
    expect(textOf(plan)).toContain('Delete saved query fresh');
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(await rig.store.schedules.getQuery(T1, 'fresh')).toBeNull();
  });

  it('--replace is audited with the text before and after; Undo puts the previous text back', async () => {
    await rig.ask('query save twice SELECT 1', { user: ADMIN });
    const replaced = await rig.ask("query save twice SELECT count() FROM events WHERE event = 'x' --replace", { user: ADMIN });
    expect(textOf(replaced)).toContain('Replaced query `twice`');
    expect((await rig.store.schedules.getQuery(T1, 'twice'))?.hogql).toBe("SELECT count() FROM events WHERE event = 'x'");
    const entry = (await rig.store.listAudit(T1, { limit: 20 })).find((e) => e.title === 'Replace saved query twice');
    expect(entry?.outcome).toBe('done');
    expect(JSON.stringify(entry)).toContain('SELECT 1');

    expect(buttonValue(replaced, UNDO_ACTION)).toBe('query save twice --replace SELECT 1');
    const undone = await rig.clickAndWait(UNDO_ACTION, buttonValue(replaced, UNDO_ACTION), { user: ADMIN });
    expect(textOf(undone)).toContain('Replaced query `twice`');
    expect((await rig.store.schedules.getQuery(T1, 'twice'))?.hogql).toBe('SELECT 1');
    expect((await auditTitles()).filter(([title]) => title === 'Replace saved query twice')).toHaveLength(2);
  });

  it('refuses to overwrite without --replace, and saves nothing on a syntax error: no audit entry for either', async () => {
    await rig.ask('query save kept SELECT 1', { user: ADMIN });
    const before = (await rig.store.listAudit(T1, { limit: 50 })).length;
    expect(textOf(await rig.ask('query save kept SELECT 2', { user: ADMIN }))).toContain('There is already a saved query `kept`');
    expect(textOf(await rig.ask('query save broken SELEC count( FROM events', { user: ADMIN }))).toContain('Nothing was saved.');
    expect((await rig.store.schedules.getQuery(T1, 'kept'))?.hogql).toBe('SELECT 1');
    expect(await rig.store.schedules.getQuery(T1, 'broken')).toBeNull();
    expect((await rig.store.listAudit(T1, { limit: 50 })).length).toBe(before);
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
