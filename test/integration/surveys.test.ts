import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOrigin } from '../../src/registry/interaction.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { SURVEY_CREATE_MODAL, SURVEY_FIELDS as F } from '../../views/surveys.js';
import { ADMIN, buttonValue, CHANNEL, MEMBER, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const surveys = () => rig.emulator.state.project(1001)!.surveys;
const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
const choice = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });
const q = F.question;

async function submitForm(values: Record<string, Record<string, unknown>>) {
  const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
  const ack = await rig.submit(SURVEY_CREATE_MODAL, values, encodeOrigin({ channelId: CHANNEL, responseUrl }));
  return { ack, responseUrl };
}

describe('/ph surveys and /ph survey', () => {
  it('lists surveys with their status', async () => {
    const reply = await rig.ask('surveys');
    const body = textOf(reply);
    expect(body).toMatch(/NPS>\*  :large_green_circle: running · Popover · 1 question/);
    expect(body).toMatch(/Why did you cancel\?>\*  :white_circle: draft · API/);
    expect(body).toMatch(/Feature requests>\*  :file_cabinet: archived/);
    expect(buttonValue(reply, RUN_COMMAND_ACTION)).toMatch(/^survey [0-9a-f-]{36}$/);
  });

  it('shows a survey by uuid or name, with its questions', async () => {
    const nps = surveys().find((s) => s.name === 'NPS')!;
    const card = textOf(await rig.ask(`survey ${nps.id}`));
    expect(card).toContain('How likely are you to recommend us to a friend?');
    expect(card).toContain('Rating (0–10)');
    expect(card).toContain(`/project/1001/surveys/${nps.id}`);
    expect(textOf(await rig.ask('survey why did you cancel?'))).toContain('What made you cancel your subscription?');
  });

  it('answers unknown ids, misses, empty lists', async () => {
    expect(textOf(await rig.ask('survey 00000000-0000-4000-8000-000000000000'))).toContain('No survey with id or name');
    expect(textOf(await rig.ask('survey NSP'))).toContain('Did you mean “NPS”');
    expect(textOf(await rig.ask('surveys zzz-none'))).toContain('No surveys match “zzz-none”');
    expect(textOf(await rig.ask('survey'))).toContain('&lt;survey&gt; is required');
  });
});

describe('/ph survey create', () => {
  it('opens the form for writers only', async () => {
    const from = rig.slack.calls.length;
    expect(textOf(await rig.ask('survey create'))).toContain('The survey form is open');
    const open = rig.slack.calls.slice(from).find((c) => c.method === 'views.open');
    expect(open?.ok).toBe(true);
    expect((open?.args.view as { callback_id: string }).callback_id).toBe(SURVEY_CREATE_MODAL);
    expect(textOf(await rig.ask('survey create', { user: MEMBER }))).toContain('needs the writer role');
  });

  it('validates each question inline', async () => {
    const { ack } = await submitForm({
      [F.name]: text(''),
      [q(1).text]: text('Which plan?'),
      [q(1).kind]: choice('single_choice'),
      [q(1).choices]: text('Pro'),
      [q(2).text]: text('Anything else?'),
      [q(2).kind]: choice('open'),
      [q(2).choices]: text('Yes\nNo'),
    });
    expect(ack.json).toMatchObject({
      response_action: 'errors',
      errors: {
        [F.name]: expect.any(String),
        [q(1).choices]: expect.stringContaining('at least two'),
        [q(2).choices]: expect.stringContaining('Only single-choice'),
      },
    });
    expect((await submitForm({ [F.name]: text('Empty') })).ack.json).toMatchObject({ errors: { [q(1).text]: expect.any(String) } });
  });

  it('creates a draft survey with open, rating and single-choice questions after Confirm', async () => {
    const { ack, responseUrl } = await submitForm({
      [F.name]: text('Onboarding feedback'),
      [F.type]: choice('widget'),
      [q(1).text]: text('How easy was setup?'),
      [q(1).kind]: choice('rating'),
      [q(1).scale]: choice('7'),
      [q(2).text]: text('Which plan are you on?'),
      [q(2).kind]: choice('single_choice'),
      [q(2).choices]: text('Free\n Pro \n\nEnterprise'),
      [q(3).text]: text('What should we improve?'),
      [q(3).kind]: choice('open'),
    });
    expect(ack.json).toBeFalsy();
    const plan = await rig.replyOn(responseUrl);
    expect(textOf(plan)).toContain('Which plan are you on? (single choice: Free / Pro / Enterprise)');
    expect(surveys().some((s) => s.name === 'Onboarding feedback')).toBe(false);
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    const created = surveys().find((s) => s.name === 'Onboarding feedback')!;
    expect(created).toMatchObject({
      type: 'widget',
      start_date: null,
      questions: [
        { type: 'rating', question: 'How easy was setup?', scale: 7, display: 'number' },
        { type: 'single_choice', question: 'Which plan are you on?', choices: ['Free', 'Pro', 'Enterprise'] },
        { type: 'open', question: 'What should we improve?' },
      ],
    });
    expect(textOf(done)).toContain('as a draft');
    expect(textOf(await rig.ask(`survey ${created.id}`))).toContain(':white_circle: draft');
  });

  it('refuses a name that is taken, before anything is confirmed', async () => {
    const { responseUrl } = await submitForm({ [F.name]: text('NPS'), [q(1).text]: text('Again?') });
    expect(textOf(await rig.replyOn(responseUrl))).toContain('already has a survey named “NPS”');
  });
});
