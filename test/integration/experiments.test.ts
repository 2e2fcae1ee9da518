import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../../src/fake-slack/index.js';
import { encodeOrigin } from '../../src/registry/interaction.js';
import { EXPERIMENT_CREATE_MODAL, FIELD_ACTION, FIELD_BLOCKS } from '../../views/experiment-form.js';
import { EXPERIMENT_LINK_ACTION } from '../../views/experiments.js';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { ADMIN, buttons, buttonValue, CHANNEL, MEMBER, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const project = () => rig.emulator.state.project(1001)!;
const experimentState = (id: number) => project().experiments.find((e) => e.id === id)!;

async function ask(text: string, who: { user?: string } = {}, nth = 1): Promise<RecordedResponse> {
  const reply = await rig.ask(text, who, { nth });
  expect(reply.ok, `${text}: ${reply.error ?? ''}`).toBe(true);
  return reply;
}

/** A launched experiment's card: it comes second, after the "Computing results…" placeholder it replaces. */
async function card(text: string): Promise<RecordedResponse> {
  const reply = await ask(text, {}, 2);
  expect(reply.body.replace_original).toBe(true);
  return reply;
}

/**
 * Exposures and conversions per variant, counted here from the emulator's raw events: a person is exposed in the
 * variant of their first `$feature_flag_called` for the flag inside the window, and converts by doing the metric event
 * at or after that moment, inside the window.
 */
function expectedCounts(flagKey: string, metric: string, start: Date, end: Date | null, keys: string[]) {
  const to = (end ?? new Date()).getTime();
  const exposed = new Map<string, { at: number; variant: string }>();
  const conversions = new Map<string, number[]>();
  for (const e of rig.emulator.state.dataset(1001).events) {
    const t = e.timestamp.getTime();
    if (t < start.getTime() || t > to) continue;
    if (e.event === '$feature_flag_called' && e.properties.$feature_flag === flagKey) {
      const seen = exposed.get(e.personId);
      if (!seen || t < seen.at) exposed.set(e.personId, { at: t, variant: String(e.properties.$feature_flag_response) });
    }
    if (e.event === metric) conversions.set(e.personId, [...(conversions.get(e.personId) ?? []), t]);
  }
  return keys.map((key) => {
    const persons = [...exposed].filter(([, x]) => x.variant === key);
    const converted = persons.filter(([id, x]) => (conversions.get(id) ?? []).some((t) => t >= x.at));
    return { key, exposures: persons.length, conversions: converted.length };
  });
}

/**
 * The same, by PostHog's funnel rule (what its ExperimentQuery computes): converted means the metric's steps were done
 * in order, the first at or after the exposure, each later step at or after the one before.
 */
function expectedFunnelCounts(flagKey: string, steps: string[], start: Date, end: Date | null, keys: string[]) {
  const to = (end ?? new Date()).getTime();
  const events = rig.emulator.state
    .dataset(1001)
    .events.filter((e) => e.timestamp.getTime() >= start.getTime() && e.timestamp.getTime() <= to);
  const exposed = new Map<string, { at: number; variant: string }>();
  for (const e of events) {
    if (e.event !== '$feature_flag_called' || e.properties.$feature_flag !== flagKey) continue;
    const seen = exposed.get(e.personId);
    if (!seen || e.timestamp.getTime() < seen.at)
      exposed.set(e.personId, { at: e.timestamp.getTime(), variant: String(e.properties.$feature_flag_response) });
  }
  const byPerson = new Map<string, Array<{ event: string; t: number }>>();
  for (const e of events) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), { event: e.event, t: e.timestamp.getTime() }]);
  const converts = (personId: string, from: number) => {
    const sorted = (byPerson.get(personId) ?? []).sort((a, b) => a.t - b.t);
    let step = 0;
    for (const e of sorted) if (e.t >= from && e.event === steps[step]) step += 1;
    return step === steps.length;
  };
  return keys.map((key) => {
    const persons = [...exposed].filter(([, x]) => x.variant === key);
    return { key, exposures: persons.length, conversions: persons.filter(([id, x]) => converts(id, x.at)).length };
  });
}

/** The results table's rows: variant -> its cells. */
function tableRows(reply: RecordedResponse): Map<string, string[]> {
  const block = /```([\s\S]*?)```/.exec(textOf(reply))?.[1] ?? '';
  const rows = block
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s{2,}/));
  return new Map(rows.map((cells) => [cells[0]!, cells.slice(1)]));
}

const pct = (n: number, d: number) => `${((n / d) * 100).toFixed(1)}%`;

describe('/ph experiments', () => {
  it('lists the seeded experiments with their status and Show buttons', async () => {
    const reply = await ask('experiments');
    const text = textOf(reply);
    expect(text).toMatch(/New onboarding flow.*`20001`\n:large_green_circle: running since/);
    expect(text).toMatch(/Pricing page v2.*`20002`\n:white_circle: draft/);
    expect(text).toMatch(/Homepage hero copy.*`20003`\n:red_circle: stopped .* \(ran 12 days\)/);
    expect(buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value)).toEqual(
      expect.arrayContaining(['experiment 20001', 'experiment 20002', 'experiment 20003']),
    );
    expect(text).toContain(`Showing 1–3 of ${project().experiments.filter((e) => !e.deleted).length}`);
  });

  it('pages with More and says when nothing matches', async () => {
    const first = await ask('experiments --limit 2');
    expect(buttonValue(first, MORE_ACTION)).toBe('experiments --limit 2 --offset 2');
    const { responseUrl } = await rig.click(MORE_ACTION, 'experiments --limit 2 --offset 2');
    const second = await rig.replyOn(responseUrl);
    expect(second.body.replace_original).toBe(true);
    expect(textOf(second)).toContain('Showing 3–3 of 3');
    expect(textOf(await ask('experiments zzz-nothing'))).toContain('No experiments match “zzz-nothing”');
  });
});

describe('/ph experiment <id|name>', () => {
  it('the running experiment: PostHog’s per-variant numbers, which match the emulator’s events', async () => {
    const seeded = experimentState(20001);
    const expected = expectedFunnelCounts('new-onboarding-flow', ['$pageview', 'purchase'], new Date(seeded.start_date!), null, [
      'control',
      'test',
    ]);
    const from = rig.emulator.requests.length;
    const reply = await card('experiment 20001');
    const text = textOf(reply);
    const rows = tableRows(reply);
    for (const v of expected)
      expect(rows.get(v.key)?.slice(0, 3), text).toEqual([String(v.exposures), String(v.conversions), pct(v.conversions, v.exposures)]);
    expect(text).toContain('from PostHog’s ExperimentQuery');
    expect(text).toMatch(/`test` has a \d+\.\d% chance to be best/);
    const queries = rig.emulator.requests.slice(from).filter((r) => r.path.endsWith('/query/'));
    expect(queries.map((r) => [(r.body as { query: { kind: string } }).query.kind, r.status])).toEqual([['ExperimentQuery', 200]]);
  });

  it('when PostHog’s ExperimentQuery gives nothing: numbers computed by Hogbot from the events, and it says so', async () => {
    rig.emulator.faults.inject({
      kind: 'status',
      status: 400,
      method: 'POST',
      path: '/query/',
      times: 1,
      body: { type: 'validation_error', code: 'invalid_input', detail: 'Experiment results are not available yet', attr: null },
    });
    const seeded = experimentState(20001);
    const expected = expectedCounts('new-onboarding-flow', 'purchase', new Date(seeded.start_date!), null, ['control', 'test']);
    expect(expected.every((v) => v.exposures > 50)).toBe(true);
    const from = rig.emulator.requests.length;

    const reply = await card('experiment 20001');
    const text = textOf(reply);
    expect(text).toContain('Experiment: New onboarding flow');
    expect(text).toContain(':large_green_circle: running since');
    expect(text).toContain('`control` 50% · `test` 50%');
    expect(text).toContain('Purchase conversion (`purchase`)');
    const rows = tableRows(reply);
    expect(rows.size, text).toBe(2);
    const [control, test] = expected as [(typeof expected)[0], (typeof expected)[0]];
    expect(rows.get('control')?.slice(0, 4)).toEqual([
      String(control.exposures),
      String(control.conversions),
      pct(control.conversions, control.exposures),
      'baseline',
    ]);
    expect(rows.get('test')?.slice(0, 3)).toEqual([
      String(test.exposures),
      String(test.conversions),
      pct(test.conversions, test.exposures),
    ]);
    const uplift = (test.conversions / test.exposures / (control.conversions / control.exposures) - 1) * 100;
    expect(rows.get('test')?.[3]).toBe(`${uplift >= 0 ? '+' : '−'}${Math.abs(uplift).toFixed(1)}%`);
    // Chances to be best are shown for both and add up to about 100%.
    const chances = [rows.get('control')?.[4], rows.get('test')?.[4]].map((c) => Number.parseFloat(c ?? 'NaN'));
    expect(chances[0]! + chances[1]!).toBeCloseTo(100, 0);
    expect(text).toMatch(/`test` vs `control`: p = \d\.\d{3} · 95% CI of the rate difference [−+]\d+\.\d pp to [−+]\d+\.\d pp/);
    expect(text).toContain('Computed by Hogbot from event counts');

    // PostHog's ExperimentQuery was asked first (refused here), then HogQL.
    const queries = rig.emulator.requests.slice(from).filter((r) => r.path.endsWith('/query/'));
    expect(queries.map((r) => [(r.body as { query: { kind: string } }).query.kind, r.status])).toEqual([
      ['ExperimentQuery', 400],
      ['HogQLQuery', 200],
    ]);
    expect(buttons(reply, EXPERIMENT_LINK_ACTION)[0]?.url).toBe(`${rig.config.posthogAppUrl}/project/1001/experiments/20001`);
    expect(buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value)).toEqual(['experiment stop 20001']);
  });

  it('a stopped experiment counts only inside its window', async () => {
    const seeded = experimentState(20003);
    const expected = expectedFunnelCounts(
      'homepage-hero-copy',
      ['$pageview', 'signed_up'],
      new Date(seeded.start_date!),
      new Date(seeded.end_date!),
      ['control', 'test'],
    );
    const reply = await card('experiment Homepage hero copy');
    const rows = tableRows(reply);
    for (const v of expected) expect(rows.get(v.key)?.slice(0, 2)).toEqual([String(v.exposures), String(v.conversions)]);
    expect(textOf(reply)).toContain('Conclusion*\nwon: Test copy won');
  });

  it('uses PostHog’s own numbers and significance when the ExperimentQuery answers', async () => {
    rig.emulator.faults.inject({
      kind: 'status',
      status: 200,
      method: 'POST',
      path: '/query/',
      body: {
        kind: 'ExperimentQuery',
        baseline: { key: 'control', number_of_samples: 1000, sum: 100, sum_squares: 100 },
        variant_results: [
          {
            key: 'test',
            number_of_samples: 1000,
            sum: 130,
            sum_squares: 130,
            chance_to_win: 0.97,
            credible_interval: [0.04, 0.57],
            significant: true,
          },
        ],
        significant: true,
      },
    });
    const from = rig.emulator.requests.length;
    const reply = await card('experiment 20001');
    const text = textOf(reply);
    const rows = tableRows(reply);
    expect(rows.get('control')).toEqual(['1,000', '100', '10.0%', 'baseline', '—']);
    expect(rows.get('test')).toEqual(['1,000', '130', '13.0%', '+30.0%', '97.0%']);
    expect(text).toContain(':tada: *Significant.* `test` has a 97.0% chance to be best.');
    expect(text).toContain('`test` vs `control`: 95% credible interval +4.0% to +57.0% · significant');
    expect(text).toContain('from PostHog’s ExperimentQuery');
    expect(text).not.toContain('Computed by Hogbot');
    expect(rig.emulator.requests.slice(from).filter((r) => r.path.endsWith('/query/')).length).toBe(1);
  });

  it('says why when neither PostHog nor HogQL can give results', async () => {
    rig.emulator.faults.inject({ kind: 'status', status: 400, method: 'POST', path: '/query/', times: 2 });
    const text = textOf(await card('experiment 20001'));
    expect(text).toContain('Experiment: New onboarding flow');
    expect(text).toContain('Results unavailable:* PostHog rejected the request: Injected validation failure.');
  });

  it('a draft: no results yet, no query run, and a Launch button', async () => {
    const from = rig.emulator.requests.length;
    const reply = await ask('experiment 20002');
    const text = textOf(reply);
    expect(text).toContain(':white_circle: draft');
    expect(text).toContain('no results yet: this experiment is a draft');
    expect(text).toContain('`control` 34% · `test` 33% · `test-2` 33%');
    expect(rig.emulator.requests.slice(from).some((r) => r.path.endsWith('/query/'))).toBe(false);
    expect(buttons(reply, RUN_COMMAND_ACTION).map((b) => b.value)).toEqual(['experiment launch 20002']);
  });

  it('finds by name, offers a pick list for ambiguous names, and explains unknown ones', async () => {
    expect(textOf(await card('experiment new onboarding flow'))).toContain('Experiment: New onboarding flow');
    const several = await ask('experiment page');
    expect(textOf(several)).toContain('Several experiments match “page”');
    expect(
      buttons(several, RUN_COMMAND_ACTION)
        .map((b) => b.value)
        .sort(),
    ).toEqual(['experiment 20002', 'experiment 20003']);
    expect(textOf(await ask('experiment 99999'))).toContain('No experiment `99999` in this project');
    expect(textOf(await ask('experiment New onbording flow'))).toContain(
      'No experiment named “New onbording flow” in this project. Did you mean “New onboarding flow”?',
    );
    expect(textOf(await rig.ask('experiment'))).toContain('Usage: `/ph experiment &lt;id|name&gt;`');
  });
});

describe('launch and stop (confirmed writes)', () => {
  afterAll(() => rig.emulator.reset());

  it('readers cannot launch; a draft has nothing to stop; a running one is already launched', async () => {
    expect(textOf(await ask('experiment launch 20002', { user: MEMBER }))).toContain('needs the writer role');
    expect(textOf(await ask('experiment stop 20002'))).toContain('has not been launched, so there is nothing to stop');
    expect(textOf(await ask('experiment launch 20001'))).toContain('is already launched');
    expect(experimentState(20002).start_date).toBeNull();
    expect(rig.emulator.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('launch: plan, Confirm, start_date set and the flag on; again: nothing to do', async () => {
    expect(rig.emulator.state.flag(1001, 'pricing-page-v2')?.active).toBe(false);
    const plan = await ask('experiment launch "Pricing page v2"');
    expect(textOf(plan)).toContain('Confirm: Launch experiment “Pricing page v2”');
    expect(textOf(plan)).toContain('*Project*\nAcme Web (1001)');
    expect(textOf(plan)).toContain('*Status*: draft → *running*');
    expect(textOf(plan)).toContain('*Flag pricing-page-v2*: off → *on*');
    expect(experimentState(20002).start_date).toBeNull();

    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(done)).toContain('Launched *<');
    expect(experimentState(20002).start_date).not.toBeNull();
    expect(rig.emulator.state.flag(1001, 'pricing-page-v2')?.active).toBe(true);
    // Through PostHog's launch action (ExperimentViewSet.launch), not a date PATCH (issue 10).
    const launched = rig.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/experiments/20002/launch/'));
    expect(launched.length).toBe(1);
    expect(rig.emulator.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/experiments/20002/'))).toBe(false);

    expect(textOf(await ask('experiment launch 20002'))).toContain('is already launched');
  });

  it('stop: a running experiment gets its end_date after Confirm; again: nothing to do', async () => {
    const plan = await ask('experiment stop 20002');
    expect(textOf(plan)).toContain('Confirm: Stop experiment “Pricing page v2”');
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(textOf(done)).toContain('Stopped *<');
    expect(experimentState(20002).end_date).not.toBeNull();
    expect(textOf(await ask('experiment stop 20002'))).toContain('is already');
    expect(textOf(await card('experiment 20002'))).toContain(':red_circle: stopped');
  });

  it('a plan confirmed after someone else already launched changes nothing', async () => {
    rig.emulator.reset();
    const from = rig.emulator.requests.length;
    const plan = await ask('experiment launch 20002');
    const start = new Date(Date.now() - 3_600_000).toISOString();
    experimentState(20002).start_date = start;
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    expect(experimentState(20002).start_date).toBe(start);
    expect(rig.emulator.requests.slice(from).some((r) => r.method === 'PATCH')).toBe(false);
  });
});

describe('/ph experiment create', () => {
  afterAll(() => rig.emulator.reset());
  const origin = () => encodeOrigin({ channelId: CHANNEL, responseUrl: rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN }) });
  const values = (v: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(v).map(([field, value]) => [
        FIELD_BLOCKS[field as keyof typeof FIELD_BLOCKS],
        { [FIELD_ACTION]: { type: 'plain_text_input', value } },
      ]),
    );

  it('opens the form for a writer, not for a reader', async () => {
    const opened = rig.slack.calls.filter((c) => c.method === 'views.open').length;
    expect(textOf(await ask('experiment create "Checkout test"'))).toContain('Fill in the form');
    const call = rig.slack.calls.filter((c) => c.method === 'views.open').at(-1)!;
    expect(rig.slack.calls.filter((c) => c.method === 'views.open').length).toBe(opened + 1);
    expect(call.ok).toBe(true);
    const view = call.args.view as { callback_id: string; blocks: Array<{ block_id: string; element: { initial_value?: string } }> };
    expect(view.callback_id).toBe(EXPERIMENT_CREATE_MODAL);
    expect(view.blocks.find((b) => b.block_id === FIELD_BLOCKS.name)?.element.initial_value).toBe('Checkout test');
    expect(textOf(await ask('experiment create', { user: MEMBER }))).toContain('needs the writer role');
  });

  it('the form rejects bad fields inline', async () => {
    const ack = await rig.submit(
      EXPERIMENT_CREATE_MODAL,
      values({ name: '', flagKey: 'bad key', variants: 'control:60, test:50', metricEvent: 'purchase' }),
      origin(),
    );
    const errors = (ack.json as { response_action: string; errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual([FIELD_BLOCKS.flagKey, FIELD_BLOCKS.name, FIELD_BLOCKS.variants].sort());
    expect(errors[FIELD_BLOCKS.variants]).toBe('The splits add up to 110%, not 100%.');
    const noControl = await rig.submit(
      EXPERIMENT_CREATE_MODAL,
      values({ name: 'x', flagKey: 'k', variants: 'a:50, b:50', metricEvent: 'purchase' }),
      origin(),
    );
    expect(Object.keys((noControl.json as { errors: object }).errors)).toEqual([FIELD_BLOCKS.variants]);
  });

  it('submit -> plan -> Confirm -> POST: a draft experiment with a new flag', async () => {
    const where = origin();
    const responseUrl = (JSON.parse(where) as { responseUrl: string }).responseUrl;
    const ack = await rig.submit(
      EXPERIMENT_CREATE_MODAL,
      values({
        name: 'Checkout test',
        flagKey: 'checkout-test',
        variants: 'control:34, test:33, test-2:33',
        metricEvent: 'purchase',
        description: 'Shorter checkout sells more',
      }),
      where,
    );
    expect(ack.status).toBe(200);
    const plan = await rig.replyOn(responseUrl);
    expect(textOf(plan)).toContain('Confirm: Create experiment “Checkout test”');
    expect(textOf(plan)).toContain('checkout-test, multivariate, off until launch');
    expect(textOf(plan)).toContain('control 34% · test 33% · test-2 33%');
    expect(project().experiments.some((e) => e.name === 'Checkout test')).toBe(false);

    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user: ADMIN });
    const created = project().experiments.find((e) => e.name === 'Checkout test')!;
    expect(created.start_date).toBeNull();
    expect(created.parameters.feature_flag_variants).toEqual([
      { key: 'control', rollout_percentage: 34 },
      { key: 'test', rollout_percentage: 33 },
      { key: 'test-2', rollout_percentage: 33 },
    ]);
    expect((created.metrics as Array<{ series: Array<{ event: string }> }>)[0]?.series[0]?.event).toBe('purchase');
    expect(rig.emulator.state.flag(1001, 'checkout-test')?.active).toBe(false);
    expect(textOf(done)).toContain(
      `Created draft experiment *<${rig.config.posthogAppUrl}/project/1001/experiments/${created.id}|Checkout test>*`,
    );
    expect(buttons(done, RUN_COMMAND_ACTION).map((b) => b.value)).toEqual([`experiment ${created.id}`, `experiment launch ${created.id}`]);
    expect(textOf(await ask(`experiment ${created.id}`))).toContain('no results yet');
  });

  it('with every option given, plans at once; refuses a flag that can’t carry an experiment', async () => {
    const plan = await ask('experiment create "Hero test" --flag hero-test --metric signed_up');
    expect(textOf(plan)).toContain('Confirm: Create experiment “Hero test”');
    expect(textOf(plan)).toContain('control 50% · test 50%');
    expect(textOf(await ask('experiment create "Dark" --flag dark-mode --metric purchase'))).toContain(
      'Flag `dark-mode` already exists and has no `control` variant',
    );
    expect(textOf(await ask('experiment create "Bad" --flag k --metric purchase --variants "control:70,test:20"'))).toContain(
      'The splits add up to 90%, not 100%.',
    );
  });

  it('never breaks Block Kit in what it posted through the Web API', () => {
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });
});
