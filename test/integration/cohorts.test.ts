import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOrigin } from '../../src/registry/interaction.js';
import { COHORT_CREATE_MODAL, COHORT_FIELDS as F } from '../../views/cohorts.js';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { ADMIN, buttonValue, CHANNEL, MEMBER, Rig, textOf } from '../rig/harness.js';
import { askConfirmed } from '../rig/confirm.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const cohorts = () => rig.emulator.state.project(1001)!.cohorts.filter((c) => c.deleted !== true);
const byName = (name: string) => cohorts().find((c) => c.name === name)!;
const persons = () => rig.emulator.state.dataset(1001).persons;

const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
const choice = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });

async function submitForm(values: Record<string, Record<string, unknown>>, user = ADMIN) {
  const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user });
  const ack = await rig.submit(COHORT_CREATE_MODAL, values, encodeOrigin({ channelId: CHANNEL, responseUrl }), { user });
  return { ack, responseUrl };
}

/** Plans as the bot's own SQLite file holds them (read-only, beside the running bot). */
function storedPlans(): Array<{ user_id: string; command: string }> {
  const db = new SQLite(rig.config.databaseUrl, { readonly: true });
  try {
    return db.prepare('select user_id, command from plans').all() as Array<{ user_id: string; command: string }>;
  } finally {
    db.close();
  }
}

describe('/ph cohorts and /ph cohort', () => {
  it('lists cohorts with sizes counted from the dataset', async () => {
    const reply = await rig.ask('cohorts');
    const body = textOf(reply);
    for (const c of cohorts()) expect(body).toContain(String(c.name));
    const paying = persons().filter((p) => ['pro', 'enterprise'].includes(String(p.properties.plan))).length;
    expect(body).toMatch(
      new RegExp(`Paying customers>\\*  \`${byName('Paying customers').id}\` · ${paying.toLocaleString('en-US')} persons`),
    );
    expect(body).toContain('static');
    expect(buttonValue(reply, RUN_COMMAND_ACTION)).toMatch(/^cohort \d+$/);
  });

  it('shows a cohort’s criteria in words, by id or by name', async () => {
    const power = byName('Power users');
    const card = textOf(await rig.ask(`cohort ${power.id}`));
    expect(card).toContain('performed “insight viewed” at least 5 times in the last 30 days');
    expect(card).toContain(`/project/1001/cohorts/${power.id}`);
    expect(textOf(await rig.ask('cohort acme staff'))).toContain('email contains “acme.com”');
    expect(textOf(await rig.ask('cohort Beta testers'))).toContain('A static list');
  });

  it('answers unknown ids, near misses, ambiguous names and empty searches', async () => {
    expect(textOf(await rig.ask('cohort 999999'))).toContain('No cohort with id or name “999999”');
    expect(textOf(await rig.ask('cohort Power usres'))).toContain('Did you mean “Power users”');
    const pick = await rig.ask('cohort er');
    expect(textOf(pick)).toContain('Several cohorts match “er”');
    expect(textOf(await rig.ask('cohorts zzz-none'))).toContain('No cohorts match “zzz-none”');
  });

  it('says so when a project has no cohorts, and pages when it has many', async () => {
    // `project use` plans first since issue 11.
    expect(textOf(await askConfirmed(rig, 'project use 1002'))).toContain('Acme Mobile');
    const project = rig.emulator.state.project(1002)!;
    const saved = project.cohorts.splice(0);
    try {
      expect(textOf(await rig.ask('cohorts'))).toContain('This project has no cohorts yet');
      for (let i = 0; i < 12; i += 1)
        project.cohorts.push({
          ...saved[0]!,
          id: 59_000 + i,
          name: `Bulk ${i}`,
          created_at: `2026-01-${String(10 + i).padStart(2, '0')}T00:00:00Z`,
        });
      const first = await rig.ask('cohorts');
      expect(textOf(first)).toContain('Showing 1–10 of 12');
      const { responseUrl } = await rig.click(MORE_ACTION, buttonValue(first, MORE_ACTION));
      expect(textOf(await rig.replyOn(responseUrl))).toContain('Showing 11–12 of 12');
    } finally {
      project.cohorts.splice(0, project.cohorts.length, ...saved);
      await askConfirmed(rig, 'project use 1001');
    }
  });
});

describe('/ph cohort create', () => {
  it('opens the form for writers only', async () => {
    const from = rig.slack.calls.length;
    expect(textOf(await rig.ask('cohort create'))).toContain('The cohort form is open');
    const open = rig.slack.calls.slice(from).find((c) => c.method === 'views.open');
    expect((open?.args.view as { callback_id: string }).callback_id).toBe(COHORT_CREATE_MODAL);
    expect(textOf(await rig.ask('cohort create', { user: MEMBER }))).toContain('needs the writer role');
  });

  it('refuses a reader who submits the form (a form outlives roles, and anyone can post a submission): nothing stored', async () => {
    const plansBefore = storedPlans();
    const requestsBefore = rig.emulator.requests.length;
    const { ack, responseUrl } = await submitForm(
      { [F.name]: text('Sneaky'), [F.kind]: choice('event'), [F.event]: text('signed_up'), [F.days]: text('30') },
      MEMBER,
    );
    expect(ack.status).toBe(200);
    const reply = await rig.replyOn(responseUrl);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('This form needs the writer role; you are a reader. Nothing was submitted');
    expect(JSON.stringify(reply.body)).not.toContain(PLAN_CONFIRM_ACTION);
    expect(storedPlans()).toEqual(plansBefore);
    expect(storedPlans().some((p) => p.user_id === MEMBER)).toBe(false);
    expect(rig.emulator.requests.slice(requestsBefore)).toEqual([]);
    expect(cohorts().some((c) => c.name === 'Sneaky')).toBe(false);
  });

  it('validates inline, per kind of condition', async () => {
    const missingEvent = await submitForm({ [F.name]: text(''), [F.kind]: choice('event'), [F.days]: text('400') });
    expect(missingEvent.ack.json).toMatchObject({
      response_action: 'errors',
      errors: { [F.name]: expect.any(String), [F.event]: expect.any(String), [F.days]: expect.stringContaining('1 to 365') },
    });
    const badProperty = await submitForm({
      [F.name]: text('x'),
      [F.kind]: choice('property'),
      [F.property]: text('amount'),
      [F.operator]: choice('gt'),
      [F.value]: text('lots'),
    });
    expect(badProperty.ack.json).toMatchObject({
      response_action: 'errors',
      errors: { [F.value]: expect.stringContaining('needs a number') },
    });
    const noValue = await submitForm({ [F.name]: text('x'), [F.kind]: choice('property'), [F.property]: text('plan') });
    expect(noValue.ack.json).toMatchObject({ errors: { [F.value]: expect.any(String) } });
  });

  it('creates a "performed event" cohort after Confirm, counted from the events', async () => {
    const { ack, responseUrl } = await submitForm({
      [F.name]: text('Ever signed up'),
      [F.kind]: choice('event'),
      [F.event]: text('signed_up'),
      [F.days]: text('365'),
    });
    expect(ack.json).toBeFalsy();
    const plan = await rig.replyOn(responseUrl);
    expect(textOf(plan)).toContain('people who performed “signed_up” in the last 365 days');
    expect(cohorts().some((c) => c.name === 'Ever signed up')).toBe(false);
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    const created = byName('Ever signed up');
    expect(created.filters).toMatchObject({
      properties: {
        type: 'OR',
        values: [
          {
            type: 'AND',
            values: [{ key: 'signed_up', type: 'behavioral', value: 'performed_event', time_value: 365, time_interval: 'day' }],
          },
        ],
      },
    });
    const signedUp = new Set(
      rig.emulator.state
        .dataset(1001)
        .events.filter((e) => e.event === 'signed_up')
        .map((e) => e.personId),
    ).size;
    expect(signedUp).toBeGreaterThan(0);
    expect(textOf(done)).toContain(`It has ${signedUp.toLocaleString('en-US')} persons`);
    expect(textOf(await rig.ask(`cohort ${created.id}`))).toContain(`${signedUp.toLocaleString('en-US')} persons`);
  });

  it('creates a person-property cohort', async () => {
    const { responseUrl } = await submitForm({
      [F.name]: text('Gmail people'),
      [F.kind]: choice('property'),
      [F.property]: text('email'),
      [F.operator]: choice('icontains'),
      [F.value]: text('gmail.com'),
    });
    const plan = await rig.replyOn(responseUrl);
    expect(textOf(plan)).toContain('people who email contains “gmail.com”');
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    const gmail = persons().filter((p) => String(p.properties.email ?? '').includes('gmail.com')).length;
    expect(textOf(done)).toContain(`It has ${gmail.toLocaleString('en-US')} persons`);
  });
});
