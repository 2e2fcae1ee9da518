import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockActions, sendToApp } from '../../src/fake-slack/index.js';
import { createHogbot } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { encodeOrigin } from '../../src/registry/interaction.js';
import { openStore } from '../../src/store/open.js';
import { UNDO_ACTION } from '../../views/audit.js';
import { FLAG_CREATE_CALLBACK, FLAG_CREATE_FIELDS, FLAG_FIELD_ACTION, FLAG_ROLLOUT_GROUP_ACTION } from '../../views/flags.js';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, buttonValue, CHANNEL, MATON_KEY, MEMBER, Rig, SIGNING_SECRET, T1, textOf } from '../rig/harness.js';

let rig: Rig;
/** The bot's clock runs this far ahead of real time: the expiry test moves it. */
let skewMs = 0;

beforeAll(async () => {
  rig = await Rig.start({ now: () => new Date(Date.now() + skewMs) });
});
afterAll(async () => {
  await rig?.close();
});
beforeEach(async () => {
  rig.emulator.reset();
  skewMs = 0;
  await rig.store.revokeGrant(T1, MEMBER);
});

const FLAGS = '/posthog/api/projects/1001/feature_flags/';
const flagId = (key: string) => rig.emulator.state.flag(1001, key)!.id;
const writesSince = (from: number, method = 'PATCH') =>
  rig.emulator.requests.slice(from).filter((r) => r.method === method && r.path.startsWith(FLAGS));

/** A change made in PostHog itself (not through Hogbot), e.g. by a colleague in the web app. */
async function patchInPostHog(key: string, body: unknown): Promise<void> {
  const res = await fetch(`${rig.emulator.url}${FLAGS}${flagId(key)}/`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${MATON_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

async function createInPostHog(key: string): Promise<void> {
  const res = await fetch(`${rig.emulator.url}${FLAGS}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MATON_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key, filters: { groups: [{ rollout_percentage: 5 }] } }),
  });
  expect(res.status).toBe(201);
}

describe('reading flags', () => {
  it('lists flags with Show buttons, filters them, and pages with More', async () => {
    const all = await rig.ask('flag list');
    const text = textOf(all);
    expect(text).toContain('dark-mode');
    expect(text).toContain('checkout-redesign');
    expect(text).not.toContain('legacy-export');
    expect(buttonValue(all, 'hogbot_run')).toMatch(/^flag show /);

    const inactive = textOf(await rig.ask('flag list --inactive'));
    expect(inactive).toContain('checkout-redesign');
    expect(inactive).not.toContain('dark-mode');
    expect(textOf(await rig.ask('flag list dark'))).toContain('dark-mode');
    expect(textOf(await rig.ask('flag list --active --inactive'))).toContain('Pick one of');

    for (let i = 0; i < 10; i += 1) await createInPostHog(`bulk-flag-${i}`);
    const first = await rig.ask('flag list');
    const more = buttonValue(first, MORE_ACTION);
    expect(more).toBe('flag list --offset 15');
    const second = await rig.clickAndWait(MORE_ACTION, more);
    expect(second.body.replace_original).toBe(true);
    expect(textOf(second)).toContain('Showing 16–18 of 18');
  });

  it('shows a card: status, rollout per condition, variants, payloads, last change and a PostHog link', async () => {
    const dark = await rig.ask('flag dark-mode');
    const text = textOf(dark);
    expect(text).toContain('Flag dark-mode');
    expect(text).toContain('Condition 1: everyone · 100%');
    expect(text).toContain('version 1');
    expect(JSON.stringify(dark.body.blocks)).toContain(`/project/1001/feature_flags/${flagId('dark-mode')}`);

    const beta = textOf(await rig.ask('flag show beta-dashboard'));
    expect(beta).toContain('Condition 1: email icontains acme.com · 100%');
    expect(beta).toContain('Condition 2: everyone · 20%');

    const onboarding = textOf(await rig.ask('flag new-onboarding-flow'));
    expect(onboarding).toMatch(/`control` 50% · `test` 50%/);
    expect(onboarding).toContain('#20001');
  });

  it('answers an unknown key with the closest keys, and bare /ph flag with the family’s help', async () => {
    const reply = await rig.ask('flag dark-mod');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('No flag `dark-mod` in *Acme Web*. Did you mean `dark-mode`');
    expect(textOf(await rig.ask('flag lsit'))).toContain('`/ph flag list`');
    const help = textOf(await rig.ask('flag'));
    expect(help).toContain('/ph flag rollout');
    expect(help).toContain('/ph flag create');
  });
});

describe('/ph flag off', () => {
  it('changes nothing before Confirm; two rapid Confirms make exactly one PATCH {"active": false}; Undo restores', async () => {
    const from = rig.emulator.requests.length;
    const plan = await rig.ask('flag off dark-mode');
    const text = textOf(plan);
    expect(text).toContain('Confirm: Turn off dark-mode');
    expect(text).toContain('Acme Web (1001)');
    expect(text).toContain('gateway default');
    expect(text).toMatch(/Active\*: on → \*off/);
    expect(writesSince(from)).toHaveLength(0);
    expect(rig.emulator.state.flag(1001, 'dark-mode')!.active).toBe(true);

    const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
    const [a, b] = await Promise.all([rig.click(PLAN_CONFIRM_ACTION, planId), rig.click(PLAN_CONFIRM_ACTION, planId)]);
    const answers = await Promise.all([rig.replyOn(a.responseUrl), rig.replyOn(b.responseUrl)]);
    const patches = writesSince(from);
    expect(patches).toHaveLength(1);
    // Besides the change, every flag write carries the flag as read (`version`, `original_flag`): PostHog then refuses a stale one.
    expect(patches[0]!.body).toEqual({
      active: false,
      version: expect.any(Number),
      original_flag: expect.objectContaining({ key: 'dark-mode' }),
    });
    expect(rig.emulator.state.flag(1001, 'dark-mode')!.active).toBe(false);
    const outcome = answers.find((r) => textOf(r).includes('Turned *off*'))!;
    expect(outcome.body.replace_original).toBe(true);
    expect(answers.map(textOf).join('\n')).toMatch(/already (confirmed|being applied)/);

    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry).toMatchObject({
      userId: ADMIN,
      command: 'flag off',
      outcome: 'done',
      objectType: 'feature_flag',
      objectId: String(flagId('dark-mode')),
      objectLabel: 'dark-mode',
      projectId: 1001,
      before: { active: true },
      after: { active: false, deleted: false, version: 2 },
    });

    const undo = buttonValue(outcome, UNDO_ACTION);
    expect(undo).toBe('flag on dark-mode');
    const undoPlan = await rig.clickAndWait(UNDO_ACTION, undo);
    expect(textOf(undoPlan)).toContain('Confirm: Turn on dark-mode');
    expect(rig.emulator.state.flag(1001, 'dark-mode')!.active).toBe(false);
    const restored = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(undoPlan, PLAN_CONFIRM_ACTION));
    expect(textOf(restored)).toContain('Turned *on*');
    expect(rig.emulator.state.flag(1001, 'dark-mode')!.active).toBe(true);
    expect(writesSince(from).map((r) => r.body)).toMatchObject([
      { active: false, version: expect.any(Number) },
      { active: true, version: expect.any(Number) },
    ]);
  });

  it('says there is nothing to do for a flag already off', async () => {
    const from = rig.emulator.requests.length;
    expect(textOf(await rig.ask('flag off checkout-redesign'))).toContain('already off');
    expect(writesSince(from)).toHaveLength(0);
  });

  it('detects a change made in PostHog between plan and Confirm, changes nothing and answers with a fresh plan', async () => {
    const plan = await rig.ask('flag off ai-insights');
    const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
    await patchInPostHog('ai-insights', { filters: { groups: [{ rollout_percentage: 30 }] } });
    const from = rig.emulator.requests.length;

    const stale = await rig.clickAndWait(PLAN_CONFIRM_ACTION, planId);
    expect(textOf(stale)).toContain('changed in PostHog after the plan was shown. Nothing was changed');
    expect(textOf(stale)).toContain('30% of everyone');
    expect(stale.body.replace_original).toBe(true);
    expect(writesSince(from)).toHaveLength(0);
    expect(rig.emulator.state.flag(1001, 'ai-insights')!.active).toBe(true);
    expect(textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, planId))).toContain('replaced by a fresh one');

    const fresh = buttonValue(stale, PLAN_CONFIRM_ACTION);
    expect(fresh).not.toBe(planId);
    expect(textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, fresh))).toContain('Turned *off*');
    expect(writesSince(from)).toHaveLength(1);
  });

  it('says so when the change was already made in PostHog meanwhile', async () => {
    const plan = await rig.ask('flag off dark-mode');
    await patchInPostHog('dark-mode', { active: false });
    const from = rig.emulator.requests.length;
    const reply = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(reply)).toContain('changed in PostHog after the plan was shown. Nothing was changed.');
    expect(textOf(reply)).toContain('`dark-mode` is already off');
    expect(JSON.stringify(reply.body.blocks)).not.toContain(PLAN_CONFIRM_ACTION);
    expect(writesSince(from)).toHaveLength(0);
  });

  it('refuses a Confirm from someone who is now a reader, and any write from a reader', async () => {
    await rig.store.setGrant({ teamId: T1, userId: MEMBER, role: 'writer', grantedBy: ADMIN, grantedAt: new Date() });
    const plan = await rig.ask('flag off dark-mode', { user: MEMBER });
    const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
    await rig.store.revokeGrant(T1, MEMBER);
    const from = rig.emulator.requests.length;
    const refused = await rig.clickAndWait(PLAN_CONFIRM_ACTION, planId, { user: MEMBER });
    expect(textOf(refused)).toContain('needs the writer role; you are a reader');
    expect(refused.body.replace_original).toBe(false);
    expect(writesSince(from)).toHaveLength(0);
    expect((await rig.store.getPlan(planId))?.status).toBe('pending');

    expect(textOf(await rig.ask('flag on checkout-redesign', { user: MEMBER }))).toContain('needs the writer role');
  });

  it('ends an expired plan visibly and changes nothing', async () => {
    const plan = await rig.ask('flag off dark-mode');
    const from = rig.emulator.requests.length;
    skewMs = 16 * 60_000;
    const expired = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(expired)).toContain('This confirmation expired. Nothing was changed');
    expect(expired.body.replace_original).toBe(true);
    expect(writesSince(from)).toHaveLength(0);
    expect(rig.emulator.state.flag(1001, 'dark-mode')!.active).toBe(true);
  });

  it('executes once when two replicas on one database receive the same Confirm', async () => {
    const logger = createLogger({ secrets: rig.config.secrets, sink: () => {} });
    const store = await openStore(rig.config.databaseUrl, { logger });
    const replica = await createHogbot({
      config: rig.config,
      store,
      logger,
      slackClientOptions: { retryConfig: { retries: 0 } },
      gateway: { timeoutMs: 500, sleep: async () => undefined },
    });
    const { port } = await replica.start();
    try {
      const plan = await rig.ask('flag off dark-mode');
      const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
      const from = rig.emulator.requests.length;
      const click = () => {
        const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
        const body = blockActions({
          team_id: T1,
          user_id: ADMIN,
          channel_id: CHANNEL,
          trigger_id: 't',
          response_url: responseUrl,
          message_ts: '1700000000.000100',
          actions: [{ action_id: PLAN_CONFIRM_ACTION, value: planId }],
        });
        return { responseUrl, body };
      };
      const one = click();
      const two = click();
      await Promise.all([
        sendToApp(rig.appUrl, SIGNING_SECRET, one.body),
        sendToApp(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET, two.body),
      ]);
      const texts = (await Promise.all([rig.replyOn(one.responseUrl), rig.replyOn(two.responseUrl)])).map(textOf).join('\n');
      expect(texts).toContain('Turned *off*');
      expect(writesSince(from)).toHaveLength(1);
    } finally {
      await replica.stop();
      await store.close();
    }
  });
});

describe('/ph flag rollout', () => {
  it('refuses 150 and other non-percentages with a usage answer, changing nothing', async () => {
    const from = rig.emulator.requests.length;
    const reply = await rig.ask('flag rollout ai-insights 150');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('&lt;percent&gt;: must be from 0 to 100');
    expect(textOf(reply)).toContain('Usage: `/ph flag rollout');
    expect(textOf(await rig.ask('flag rollout ai-insights lots'))).toContain('&lt;percent&gt;: must be a number from 0 to 100');
    expect(rig.emulator.requests.length).toBe(from);
  });

  it('GETs the flag, edits one rollout_percentage and PATCHes the whole filters; Undo puts it back', async () => {
    const plan = await rig.ask('flag rollout ai-insights 25%');
    expect(textOf(plan)).toMatch(/Rollout \(condition 1\)\*: 10% → \*25%/);
    const from = rig.emulator.requests.length;
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain('to *25%*');
    const [patch] = writesSince(from);
    expect(patch!.body).toMatchObject({
      filters: { groups: [{ properties: [], rollout_percentage: 25, variant: null }], multivariate: null, payloads: {} },
    });
    const reads = rig.emulator.requests.slice(from).filter((r) => r.method === 'GET' && r.path === `${FLAGS}${flagId('ai-insights')}/`);
    expect(reads.length).toBeGreaterThanOrEqual(1);

    const undo = buttonValue(done, UNDO_ACTION);
    expect(undo).toBe('flag rollout ai-insights 10');
    const undoPlan = await rig.clickAndWait(UNDO_ACTION, undo);
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(undoPlan, PLAN_CONFIRM_ACTION));
    expect(
      (rig.emulator.state.flag(1001, 'ai-insights')!.filters.groups as Array<{ rollout_percentage: number }>)[0]!.rollout_percentage,
    ).toBe(10);
  });

  it('asks which release condition with a select when there are several, and keeps the other condition intact', async () => {
    const picker = await rig.ask('flag rollout beta-dashboard 50');
    expect(textOf(picker)).toContain('has 2 release conditions');
    const options = JSON.stringify(picker.body.blocks);
    expect(options).toContain(FLAG_ROLLOUT_GROUP_ACTION);
    expect(options).toContain('flag rollout beta-dashboard 50 --group 2');

    const { responseUrl } = await rig.click(
      FLAG_ROLLOUT_GROUP_ACTION,
      'flag rollout beta-dashboard 50 --group 2',
      {},
      { type: 'static_select' },
    );
    const plan = await rig.replyOn(responseUrl);
    expect(plan.body.replace_original).toBe(true);
    expect(textOf(plan)).toMatch(/Rollout \(condition 2\)\*: 20% → \*50%/);
    const from = rig.emulator.requests.length;
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    const [patch] = writesSince(from);
    const groups = (patch!.body as { filters: { groups: Array<Record<string, unknown>> } }).filters.groups;
    expect(groups[0]).toMatchObject({ rollout_percentage: 100, properties: [{ key: 'email', value: 'acme.com', operator: 'icontains' }] });
    expect(groups[1]).toMatchObject({ rollout_percentage: 50 });
    expect(textOf(await rig.ask('flag rollout beta-dashboard 50 --group 3'))).toContain('use `--group` 1 to 2');
  });
});

describe('/ph flag create', () => {
  it('plans a create with --rollout and --name, POSTs {key, name, active, filters} on Confirm; Undo deletes it', async () => {
    const plan = await rig.ask('flag create new-checkout --rollout 10 --name "New checkout"');
    expect(textOf(plan)).toContain('Confirm: Create flag new-checkout');
    expect(rig.emulator.state.flag(1001, 'new-checkout')).toBeUndefined();
    const from = rig.emulator.requests.length;
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain('Created `new-checkout`');
    const posts = writesSince(from, 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({
      key: 'new-checkout',
      name: 'New checkout',
      active: true,
      filters: { groups: [{ properties: [], rollout_percentage: 10 }] },
    });
    const created = rig.emulator.state.flag(1001, 'new-checkout')!;
    expect((await rig.store.listAudit(T1, { limit: 1 }))[0]).toMatchObject({
      command: 'flag create',
      objectId: String(created.id),
      outcome: 'done',
    });

    const undo = buttonValue(done, UNDO_ACTION);
    expect(undo).toBe('flag delete new-checkout');
    const undoPlan = await rig.clickAndWait(UNDO_ACTION, undo);
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(undoPlan, PLAN_CONFIRM_ACTION));
    expect(rig.emulator.state.flag(1001, 'new-checkout')!.deleted).toBe(true);
  });

  it('refuses an existing key, a bad key and splits that do not add up to 100 from the command line', async () => {
    expect(textOf(await rig.ask('flag create dark-mode'))).toContain('A flag `dark-mode` already exists');
    expect(textOf(await rig.ask('flag create "has space"'))).toContain('Only letters, numbers');
    expect(textOf(await rig.ask('flag create mv --variants "a=60,b=30"'))).toContain('add up to 90%; they must add up to 100%');
  });

  it('opens the form before any PostHog call; splits adding to 90 are refused inline; a valid form posts a plan', async () => {
    const from = rig.emulator.requests.length;
    const { responseUrl } = await rig.slash('flag create');
    const opened = await rig.slack.waitForCall(
      'views.open',
      (c) => (c.args.view as { callback_id?: string }).callback_id === FLAG_CREATE_CALLBACK,
    );
    expect(opened.ok).toBe(true);
    expect(textOf(await rig.replyOn(responseUrl))).toContain('review a plan');
    expect(rig.emulator.requests.length).toBe(from);

    const origin = (opened.args.view as { private_metadata: string }).private_metadata;
    const values = (variants: string) => ({
      [FLAG_CREATE_FIELDS.key]: { [FLAG_FIELD_ACTION]: { type: 'plain_text_input', value: 'pricing-test' } },
      [FLAG_CREATE_FIELDS.name]: { [FLAG_FIELD_ACTION]: { type: 'plain_text_input', value: 'Pricing test' } },
      [FLAG_CREATE_FIELDS.rollout]: { [FLAG_FIELD_ACTION]: { type: 'plain_text_input', value: '100' } },
      [FLAG_CREATE_FIELDS.variants]: { [FLAG_FIELD_ACTION]: { type: 'plain_text_input', value: variants } },
    });
    const bad = await rig.submit(FLAG_CREATE_CALLBACK, values('control=50\ntest=40'), origin);
    expect(JSON.parse(bad.body)).toEqual({
      response_action: 'errors',
      errors: { [FLAG_CREATE_FIELDS.variants]: 'The splits add up to 90%; they must add up to 100%.' },
    });
    expect(rig.emulator.requests.length).toBe(from);

    const good = await rig.submit(FLAG_CREATE_CALLBACK, values('control=50\ntest=50'), origin);
    expect(good.status).toBe(200);
    const plan = await rig.replyOn(responseUrl, { nth: 2 });
    expect(textOf(plan)).toContain('Confirm: Create flag pricing-test');
    expect(textOf(plan)).toContain('control 50%, test 50%');
    const posted = rig.emulator.requests.length;
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(writesSince(posted, 'POST')[0]!.body).toMatchObject({
      key: 'pricing-test',
      filters: {
        multivariate: {
          variants: [
            { key: 'control', rollout_percentage: 50 },
            { key: 'test', rollout_percentage: 50 },
          ],
        },
      },
    });
    expect(rig.emulator.state.flag(1001, 'pricing-test')?.active).toBe(true);
  });

  it('refuses the form from a reader', async () => {
    const origin = encodeOrigin({ channelId: CHANNEL, responseUrl: rig.slack.responseUrl({ channel: CHANNEL, user: MEMBER }) });
    const values = { [FLAG_CREATE_FIELDS.key]: { [FLAG_FIELD_ACTION]: { type: 'plain_text_input', value: 'sneaky' } } };
    const ack = await rig.submit(FLAG_CREATE_CALLBACK, values, origin, { user: MEMBER });
    expect(ack.status).toBe(200);
    const reply = await rig.slack.waitForResponse((r) => r.url === JSON.parse(origin).responseUrl);
    expect(textOf(reply)).toContain('needs the writer role');
  });
});

describe('/ph flag delete and restore', () => {
  it('soft-deletes with PATCH {"deleted": true}; Undo restores the same flag', async () => {
    const id = flagId('checkout-redesign');
    const plan = await rig.ask('flag delete checkout-redesign');
    const from = rig.emulator.requests.length;
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(writesSince(from).map((r) => r.body)).toMatchObject([{ deleted: true, version: expect.any(Number) }]);
    expect(textOf(await rig.ask('flag list'))).not.toContain('checkout-redesign');

    const undo = buttonValue(done, UNDO_ACTION);
    expect(undo).toBe(`flag restore ${id}`);
    const undoPlan = await rig.clickAndWait(UNDO_ACTION, undo);
    expect(textOf(undoPlan)).toContain('Confirm: Restore flag checkout-redesign');
    await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(undoPlan, PLAN_CONFIRM_ACTION));
    expect(writesSince(from).map((r) => r.body)).toMatchObject([
      { deleted: true, version: expect.any(Number) },
      { deleted: false, version: expect.any(Number) },
    ]);
    expect(rig.emulator.state.flag(1001, 'checkout-redesign')).toMatchObject({ id, deleted: false });
  });

  it('cannot restore a flag whose key a new flag has taken since: PostHog refuses, and the answer says why', async () => {
    const id = flagId('checkout-redesign');
    await patchInPostHog('checkout-redesign', { deleted: true });
    await createInPostHog('checkout-redesign');
    const plan = await rig.ask(`flag restore ${id}`);
    const reply = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(reply)).toContain('There is already a feature flag with this key');
    expect(rig.emulator.state.project(1001)!.feature_flags.find((f) => f.id === id)!.deleted).toBe(true);
    expect((await rig.store.listAudit(T1, { limit: 1 }))[0]).toMatchObject({ command: 'flag restore', outcome: 'failed' });
    expect(textOf(await rig.ask('flag restore 999999'))).toContain('No flag with id `999999`');
  });

  // PostHog decides (only a running experiment blocks a delete) and says why: the plan warns, Confirm shows PostHog's answer.
  it('warns about a flag an experiment uses, and shows PostHog’s refusal while the experiment runs', async () => {
    const plan = await rig.ask('flag delete new-onboarding-flow');
    expect(textOf(plan)).toContain('Experiment #20001 uses it');
    const refused = textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION)));
    expect(refused).toContain('Cannot delete a feature flag that is linked to running experiment(s)');
    expect(rig.emulator.state.flag(1001, 'new-onboarding-flow')!.deleted).toBe(false);
  });
});

describe('Block Kit', () => {
  it('every Web API call the bot made was accepted', () => {
    expect(rig.slack.calls.length).toBeGreaterThan(0);
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });
});
