import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOrigin } from '../../src/registry/interaction.js';
import { INSIGHT_CREATE_MODAL, INSIGHT_FIELDS as F } from '../../views/insights.js';
import { MORE_ACTION } from '../../views/pager.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { imChannelFor } from '../../src/fake-slack/index.js';
import { ADMIN, buttonValue, CHANNEL, MEMBER, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const insights = () => rig.emulator.state.project(1001)!.insights.filter((i) => i.deleted !== true);
const byName = (name: string) => insights().find((i) => i.name === name)!;

/** `/ph insight …` answers twice on its response_url: "Computing…", then the card. */
async function showInsight(text: string) {
  const { responseUrl } = await rig.slash(text);
  const first = await rig.replyOn(responseUrl);
  if (!first.body.text?.startsWith('Computing')) return first;
  return rig.replyOn(responseUrl, { nth: 2, timeoutMs: 20_000 });
}

const imageBlock = (reply: { body: { blocks?: unknown } }) =>
  (reply.body.blocks as Array<{ type: string; slack_file?: { id: string } }>).find((b) => b.type === 'image');

const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
const choice = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });

describe('/ph insights', () => {
  it('lists saved insights with links, kinds and Show buttons', async () => {
    const reply = await rig.ask('insights');
    const body = textOf(reply);
    for (const i of insights()) {
      expect(body).toContain(String(i.name));
      expect(body).toContain(`/project/1001/insights/${i.short_id}`);
    }
    expect(body).not.toContain('Old bounce rate');
    expect(body).toContain('Funnels');
    expect(buttonValue(reply, RUN_COMMAND_ACTION)).toMatch(/^insight [A-Za-z0-9]{8}$/);
  });

  it('searches, pages with More, and says when nothing matches', async () => {
    const project = rig.emulator.state.project(1001)!;
    const template = byName('Insight views');
    for (let i = 0; i < 11; i += 1)
      project.insights.push({ ...template, id: 49_000 + i, short_id: `page${String(i).padStart(4, '0')}`, name: `Paged insight ${i}` });
    try {
      const first = await rig.ask('insights paged insight');
      expect(textOf(first)).toContain('Showing 1–10 of 11');
      const { responseUrl } = await rig.click(MORE_ACTION, buttonValue(first, MORE_ACTION));
      const second = await rig.replyOn(responseUrl);
      expect(second.body.replace_original).toBe(true);
      expect(textOf(second)).toContain('Showing 11–11 of 11');
    } finally {
      project.insights.splice(0, project.insights.length, ...project.insights.filter((i) => Number(i.id) < 49_000));
    }
    expect(textOf(await rig.ask('insights zzz-none'))).toContain('No insights match “zzz-none”');
  });
});

describe('/ph insight <id|short_id|name>', () => {
  it('draws a trend as a PNG shared in the caller’s DM (no PUBLIC_URL), with its numbers and a link', async () => {
    // Without PUBLIC_URL the chart can't ride in the private answer's blocks (a channel-less slack_file is refused:
    // python-slack-sdk#1658), so it is shared where only the caller sees it: their DM with Hogbot.
    const dau = byName('Daily active users');
    const reply = await showInsight(`insight ${dau.short_id}`);
    const body = textOf(reply);
    expect(body).toContain(`/project/1001/insights/${dau.short_id}`);
    expect(body).toContain('Unique users · daily · last 30 days');
    expect(body).toContain('The chart is in your DM with Hogbot.');
    expect(imageBlock(reply)).toBeUndefined();
    // Slack (the strict fake) accepted the answer on its response_url.
    expect(reply.ok).toBe(true);
    const upload = [...rig.slack.uploads.values()].find((u) => u.filename === `insight-${dau.short_id}.png`)!;
    expect(upload.completed).toBe(true);
    expect(upload.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    // Private answer: the chart goes to the caller's DM, not to the channel.
    expect(upload.channel).toBe(imChannelFor(ADMIN));
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('shares the chart in the channel when the answer is --share’d', async () => {
    const dau = byName('Daily active users');
    const before = new Set(rig.slack.uploads.keys());
    const { responseUrl } = await rig.slash(`insight ${dau.short_id} --share`);
    // The interim "Computing…" is ephemeral; the shared answer is posted anew, in_channel.
    const reply = await rig.slack.waitForResponse((r) => r.url === responseUrl && r.body.response_type === 'in_channel', {
      timeoutMs: 20_000,
    });
    expect(textOf(reply)).toContain('The chart is posted in this channel.');
    expect(reply.ok).toBe(true);
    const upload = [...rig.slack.uploads.values()].find((u) => !before.has(u.id))!;
    expect(upload.channel).toBe(CHANNEL);
    expect(rig.slack.messages(CHANNEL).some((m) => m.files?.some((f) => f.id === upload.id))).toBe(true);
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('shows numbers that match the emulator’s events', async () => {
    // An insight whose answer is easy to count by hand: purchases per day over the last 7 days (project timezone UTC).
    const project = rig.emulator.state.project(1001)!;
    const template = byName('Insight views');
    const source = {
      kind: 'TrendsQuery',
      series: [{ kind: 'EventsNode', event: 'purchase', name: 'purchase', math: 'total' }],
      interval: 'day',
      dateRange: { date_from: '-7d' },
    };
    project.insights.push({
      ...template,
      id: 48_001,
      short_id: 'countme1',
      name: 'Purchases check',
      query: { kind: 'InsightVizNode', source },
      result: null,
    });
    const now = new Date();
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 7);
    const expected = rig.emulator.state
      .dataset(1001)
      .events.filter((e) => e.event === 'purchase' && e.timestamp.getTime() >= start && e.timestamp <= now).length;
    const reply = await showInsight('insight countme1');
    expect(expected).toBeGreaterThan(0);
    expect(textOf(reply)).toContain(`${expected.toLocaleString('en-US')} in range`);
  });

  it('finds insights by numeric id and by name; breakdowns list each value', async () => {
    const browser = byName('Pageviews by browser');
    const byId = await showInsight(`insight ${browser.id}`);
    expect(textOf(byId)).toContain('by $browser');
    expect(textOf(byId)).toContain('Chrome');
    expect(textOf(await showInsight('insight weekly SIGNUPS'))).toContain('weekly');
  });

  it('explains insights it does not draw, ambiguous names and unknown ids', async () => {
    expect(textOf(await showInsight('insight Signup funnel'))).toContain('Funnels insights are not drawn here yet');
    const pick = await rig.ask('insight by');
    expect(textOf(pick)).toContain('Several insights match “by”');
    expect(textOf(await rig.ask('insight 999999'))).toContain('No insight with id, short id or name “999999”');
    expect(textOf(await rig.ask('insight Daily activ users'))).toContain('Did you mean “Daily active users”');
    expect(textOf(await rig.ask('insight'))).toContain('&lt;insight&gt; is required');
  });
});

describe('/ph insight create', () => {
  const openForm = async (user = ADMIN) => {
    const from = rig.slack.calls.length;
    const reply = await rig.ask('insight create', { user });
    const open = rig.slack.calls.slice(from).find((c) => c.method === 'views.open');
    return { reply, open, from };
  };

  it('opens the form at once, then fills in the dashboards', async () => {
    const { reply, open, from } = await openForm();
    expect(textOf(reply)).toContain('The insight form is open');
    const view = open!.args.view as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe(INSIGHT_CREATE_MODAL);
    expect(JSON.stringify(view.blocks)).toContain('Loading dashboards');
    const update = await rig.slack.waitForCall('views.update', (c) => rig.slack.calls.indexOf(c) >= from);
    expect(JSON.stringify(update.args.view)).toContain('Product overview (30001)');
    expect(update.ok).toBe(true);
  });

  it('opens the form even when PostHog is down, and says the dashboards could not be loaded', async () => {
    const fault = rig.emulator.faults.inject({ kind: 'status', status: 503, path: '/dashboards/', times: 'always' });
    try {
      const { open, from } = await openForm();
      expect(open?.ok).toBe(true);
      const update = await rig.slack.waitForCall('views.update', (c) => rig.slack.calls.indexOf(c) >= from);
      expect(JSON.stringify(update.args.view)).toContain('Dashboards could not be loaded');
    } finally {
      rig.emulator.faults.remove(fault.id);
    }
  });

  it('validates inline: missing event, hourly over a long range', async () => {
    const origin = encodeOrigin({ channelId: CHANNEL, responseUrl: null });
    const ack = await rig.submit(
      INSIGHT_CREATE_MODAL,
      { [F.name]: text('Signups'), [F.event]: text(''), [F.interval]: choice('hour'), [F.range]: choice('-90d') },
      origin,
    );
    expect(ack.json).toMatchObject({
      response_action: 'errors',
      errors: { [F.event]: expect.stringContaining('Which event'), [F.interval]: expect.stringContaining('Hourly') },
    });
  });

  it('plans, then creates the TrendsQuery on the chosen dashboard after Confirm', async () => {
    const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
    const origin = encodeOrigin({ channelId: CHANNEL, responseUrl });
    const growth = rig.emulator.state.project(1001)!.dashboards.find((d) => d.name === 'Growth')!;
    const before = insights().length;
    const ack = await rig.submit(
      INSIGHT_CREATE_MODAL,
      {
        [F.name]: text('Signups by plan'),
        [F.event]: text('signed_up'),
        [F.math]: choice('dau'),
        [F.interval]: choice('week'),
        [F.range]: choice('-90d'),
        [F.breakdown]: text('plan'),
        [F.breakdownType]: choice('person'),
        [F.dashboard]: choice(String(growth.id)),
      },
      origin,
    );
    expect(ack.status).toBe(200);
    expect(ack.json).toBeFalsy();
    const plan = await rig.replyOn(responseUrl);
    expect(textOf(plan)).toContain('Create insight “Signups by plan”');
    expect(textOf(plan)).toContain('signed_up · Unique users · weekly · last 90 days · by plan');
    expect(textOf(plan)).toContain('Growth (30002)');
    expect(insights().length).toBe(before);

    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION));
    expect(textOf(done)).toContain('Created insight');
    const created = byName('Signups by plan');
    expect(created.dashboards).toEqual([growth.id]);
    expect(created.query).toEqual({
      kind: 'InsightVizNode',
      source: {
        kind: 'TrendsQuery',
        series: [{ kind: 'EventsNode', event: 'signed_up', name: 'signed_up', math: 'dau' }],
        interval: 'week',
        dateRange: { date_from: '-90d' },
        breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' },
      },
    });
    expect(textOf(done)).toContain(`/project/1001/insights/${created.short_id}`);
    const card = await showInsight(`insight ${created.short_id}`);
    expect(textOf(card)).toContain('The chart is in your DM with Hogbot.');
  });

  it('warns about an event PostHog has never seen', async () => {
    const responseUrl = rig.slack.responseUrl({ channel: CHANNEL, user: ADMIN });
    await rig.submit(
      INSIGHT_CREATE_MODAL,
      { [F.name]: text('Typos'), [F.event]: text('sigend_up') },
      encodeOrigin({ channelId: CHANNEL, responseUrl }),
    );
    expect(textOf(await rig.replyOn(responseUrl))).toContain('has not seen an event named “sigend_up”');
  });

  it('refuses readers before any form opens', async () => {
    const { reply, open } = await openForm(MEMBER);
    expect(textOf(reply)).toContain('needs the writer role');
    expect(open).toBeUndefined();
  });
});
