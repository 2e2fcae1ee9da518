/**
 * Slash-command text as Slack sends it with `should_escape: true` (manifest.yml), emulated by the fake Slack
 * (src/fake-slack/escape.ts) and read by Hogbot.
 *
 * Read from: docs.slack.dev/interactivity/implementing-slash-commands ("Escape channels, users, and links sent to your
 * app": `#channel` -> `<#C123|name>`, `@user` -> `<@U123>`, links escaped) and
 * docs.slack.dev/messaging/formatting-message-text ("Escaping text": `&` `<` `>` as entities; URLs `<https://...>`,
 * emails `<mailto:...|...>`, `<!here>`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCommandText } from '../../src/fake-slack/index.js';
import { ADMIN, CHANNEL, MEMBER, Rig, T1, T2, textOf } from '../rig/harness.js';

const directory = {
  users: [
    { id: 'U0ANA000001', name: 'ana', teamId: 'T1' },
    { id: 'U0MAX000001', name: 'max', displayName: 'Max M', teamId: 'T1' },
    { id: 'U0GUS000001', name: 'gus', teamId: 'T2' },
    { id: 'U0OLD000001', name: 'old', teamId: 'T1', deleted: true },
  ],
  channels: [
    { id: 'C0GROWTH001', name: 'growth', teamId: 'T1' },
    { id: 'C0OTHER0001', name: 'other', teamId: 'T2' },
    { id: 'D0ANA000001', name: 'ana-dm', teamId: 'T1', isIm: true },
  ],
};

describe('Slack should_escape: slash command text', () => {
  it('sends known #channels as <#C…|name> and @users as <@U…>, only for the workspace that typed them', () => {
    expect(escapeCommandText('digest add #growth for @ana and @max.', directory, 'T1')).toBe(
      'digest add <#C0GROWTH001|growth> for <@U0ANA000001> and <@U0MAX000001>.',
    );
    // Names of another workspace, deleted users, DMs and unknown names stay plain text.
    expect(escapeCommandText('#other @gus @old #ana-dm #nowhere @nobody', directory, 'T1')).toBe(
      '#other @gus @old #ana-dm #nowhere @nobody',
    );
    expect(escapeCommandText('#other @gus', directory, 'T2')).toBe('<#C0OTHER0001|other> <@U0GUS000001>');
  });

  it('escapes &, < and >, links typed URLs and emails, and turns @here into <!here>', () => {
    expect(
      escapeCommandText(`query select 1 where a > 2 && b < 3 and url = 'https://x.co/a?b=1&c=2' or e = 'ana@acme.com'`, directory, 'T1'),
    ).toBe(
      `query select 1 where a &gt; 2 &amp;&amp; b &lt; 3 and url = '<https://x.co/a?b=1&amp;c=2>' or e = '<mailto:ana@acme.com|ana@acme.com>'`,
    );
    expect(escapeCommandText('ping @here', directory, 'T1')).toBe('ping <!here>');
  });

  it('leaves text already in Slack’s format alone', () => {
    const escaped = 'access grant <@U0MAX000001|max> writer in <#C0GROWTH001|growth> see <https://x.co>';
    expect(escapeCommandText(escaped, directory, 'T1')).toBe(escaped);
  });
});

describe('Hogbot reads escaped slash commands (through the real app)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await Rig.start();
    expect(textOf(await rig.ask('project use 1001'))).toContain('Acme Web');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('the fake Slack sends #growth and @max as Slack would', async () => {
    expect(rig.slack.commandText('#growth @max @gus', T1)).toBe(`<#${CHANNEL}|growth> <@${MEMBER}> @gus`);
    expect(rig.slack.commandText('@gus', T2)).toMatch(/^<@U0ADMIN0002>$/);
  });

  it('a digest typed with #growth goes to that channel', async () => {
    const plan = await rig.ask('digest add daily 09:00 #growth "Escaped growth" --flags');
    const text = textOf(plan);
    expect(text).toContain('Create digest “Escaped growth”');
    expect(text).toContain('#growth');
    expect(text).not.toContain('pick the channel');
  });

  it('an access grant typed with @max names that user', async () => {
    const plan = textOf(await rig.ask('access grant @max writer', { user: ADMIN }));
    expect(plan).toContain(MEMBER);
    expect(plan).not.toContain('There is no Slack user');
  });

  it('HogQL reaches PostHog as typed: comparisons, URLs and emails unescaped', async () => {
    const from = rig.emulator.requests.length;
    const sql = `SELECT count() FROM events WHERE timestamp > now() - INTERVAL 1 DAY AND properties.$current_url != 'https://x.co/a?b=1&c=2' AND distinct_id != 'ana@acme.com'`;
    await rig.slash(`query ${sql}`);
    const posted = () => rig.emulator.requests.slice(from).find((r) => r.method === 'POST' && r.path.endsWith('/query/'));
    const deadline = Date.now() + 15_000;
    while (!posted() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(JSON.stringify(posted()?.body)).toContain(JSON.stringify(sql).slice(1, -1));
  });
});
