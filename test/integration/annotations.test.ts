import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDO_ACTION } from '../../views/audit.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttonValue, MEMBER, Rig, T1, textOf } from '../rig/harness.js';

// Monday 10 March 2025, 05:00 in Los Angeles (ADMIN's zone), 13:00 in Berlin (MEMBER's): one day after the US moved
// its clocks forward, so "yesterday 14:00" in Los Angeles is already daylight time (UTC-7).
const NOW = new Date('2025-03-10T12:00:00Z');
const ANNOTATIONS = '/posthog/api/projects/1001/annotations/';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start({ now: () => NOW });
});
afterAll(async () => {
  await rig?.close();
});

const posts = (from: number) => rig.emulator.requests.slice(from).filter((r) => r.method === 'POST' && r.path === ANNOTATIONS);

async function annotate(text: string, user = ADMIN) {
  const plan = await rig.ask(text, { user });
  const from = rig.emulator.requests.length;
  const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user });
  return { plan, done, posted: posts(from) };
}

describe('/ph annotate', () => {
  it('reads "yesterday 14:00" in the Los Angeles user’s zone and stores the UTC instant as date_marker', async () => {
    const from = rig.emulator.requests.length;
    const { plan, done, posted } = await annotate('annotate "Deployed checkout v2" --date "yesterday 14:00"');
    expect(textOf(plan)).toContain('Sun 9 Mar 2025, 14:00 America/Los_Angeles (2025-03-09T21:00:00.000Z UTC)');
    expect(posts(from)).toHaveLength(1);
    expect(posted[0]!.body).toEqual({ content: 'Deployed checkout v2', date_marker: '2025-03-09T21:00:00.000Z', scope: 'project' });
    expect(textOf(done)).toContain('Annotated *Acme Web*');
    const stored = rig.emulator.state.project(1001)!.annotations.find((a) => a.content === 'Deployed checkout v2');
    expect(new Date(String(stored!.date_marker)).toISOString()).toBe('2025-03-09T21:00:00.000Z');
    expect((await rig.store.listAudit(T1, { limit: 1 }))[0]).toMatchObject({
      command: 'annotate',
      objectType: 'annotation',
      objectId: String(stored!.id),
      outcome: 'done',
    });
  });

  it('reads the same words in Berlin for a Berlin user', async () => {
    await rig.store.setGrant({ teamId: T1, userId: MEMBER, role: 'writer', grantedBy: ADMIN, grantedAt: NOW });
    const { posted } = await annotate('annotate Berlin launch party --date "yesterday 14:00" --scope organization', MEMBER);
    expect(posted[0]!.body).toEqual({ content: 'Berlin launch party', date_marker: '2025-03-09T13:00:00.000Z', scope: 'organization' });
    await rig.store.revokeGrant(T1, MEMBER);
  });

  it('takes now when no date is given, and ISO dates with an offset as they are', async () => {
    expect((await annotate('annotate "Pricing page live"')).posted[0]!.body).toMatchObject({ date_marker: NOW.toISOString() });
    expect((await annotate('annotate "Outage" --date 2025-03-01T08:30:00Z')).posted[0]!.body).toMatchObject({
      date_marker: '2025-03-01T08:30:00.000Z',
    });
  });

  it('answers bad input clearly and changes nothing', async () => {
    const from = rig.emulator.requests.length;
    const bad = await rig.ask('annotate "Deploy" --date "the day before"');
    expect(bad.body.response_type).toBe('ephemeral');
    expect(textOf(bad)).toContain('I can’t read the date “the day before”');
    expect(textOf(await rig.ask('annotate --date yesterday'))).toContain('&lt;text&gt; is required');
    expect(textOf(await rig.ask('annotate "x" --scope galaxy'))).toContain('--scope: is project or organization');
    expect(textOf(await rig.ask('annotate "x"', { user: MEMBER }))).toContain('needs the writer role');
    expect(posts(from)).toHaveLength(0);
  });

  it('lists annotations, newest date first, and Undo deletes the one just made', async () => {
    const { done } = await annotate('annotate "Undo me" --date "today 04:00"');
    const list = textOf(await rig.ask('annotations'));
    expect(list).toContain('Undo me');
    expect(list.indexOf('Undo me')).toBeLessThan(list.indexOf('Deployed checkout v2'));
    expect(textOf(await rig.ask('annotations checkout'))).not.toContain('Undo me');

    const undo = buttonValue(done, UNDO_ACTION);
    expect(undo).toMatch(/^annotation delete \d+$/);
    const plan = await rig.clickAndWait(UNDO_ACTION, undo);
    expect(textOf(plan)).toContain('Confirm: Delete annotation');
    const from = rig.emulator.requests.length;
    const deleted = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    const patch = rig.emulator.requests.slice(from).filter((r) => r.method === 'PATCH');
    expect(patch.map((r) => r.body)).toEqual([{ deleted: true }]);
    expect(textOf(await rig.ask('annotations'))).not.toContain('Undo me');
    // Undoing the delete re-creates the note at the same instant.
    expect(buttonValue(deleted, UNDO_ACTION)).toMatch(/^annotate "Undo me" --date 2025-03-10T11:00:00.000Z --scope project$/);
  });

  it('every Web API call the bot made was accepted', () => {
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });
});
