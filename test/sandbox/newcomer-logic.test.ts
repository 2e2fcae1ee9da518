import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escapeCommandText, namesOf } from '../../src/sandbox/escape-command.js';
import { WORKSPACES } from '../../src/sandbox/people.js';

// The page's modules are plain browser JavaScript; their pure parts run in Node too.
const publicUrl = (name: string) => pathToFileURL(`${process.cwd()}/src/sandbox/public/${name}`).href;
const { mrkdwn, formatDate, localFileUrl } = (await import(publicUrl('mrkdwn.js'))) as {
  mrkdwn: (text: string, ctx?: object) => string;
  formatDate: (seconds: number, format: string, o: { tz: string; now: Date }) => string;
  localFileUrl: (href: string, slackUrl: string) => string;
};
const { mentionSuggest } = (await import(publicUrl('composer.js'))) as {
  mentionSuggest: (text: string, caret: number, names: object) => Array<{ label: string; completion: string; caret: number }>;
};

const [ACME, GLOBEX] = WORKSPACES;
// 2026-12-02 22:00 UTC: 14:00 in Los Angeles, 23:00 in Berlin.
const AT = Date.UTC(2026, 11, 2, 22, 0) / 1000;
const NOW = new Date(Date.UTC(2026, 11, 2, 18, 0));

describe('Slack date tokens in the viewer’s zone (https://docs.slack.dev/messaging/formatting-message-text#date-formatting)', () => {
  it('draws the same instant at 14:00 for Los Angeles and 23:00 for Berlin', () => {
    const token = `<!date^${AT}^{date_short_pretty} at {time}|2026-12-02T22:00Z>`;
    expect(mrkdwn(token, { tz: 'America/Los_Angeles', now: NOW })).toBe('today at 14:00');
    expect(mrkdwn(token, { tz: 'Europe/Berlin', now: NOW })).toBe('today at 23:00');
  });

  it('honours every documented format token', () => {
    const o = { tz: 'Europe/Berlin', now: NOW };
    expect(formatDate(AT, '{date_num}', o)).toBe('2026-12-02');
    expect(formatDate(AT, '{date_slash}', o)).toBe('02/12/2026');
    expect(formatDate(AT, '{date}', o)).toBe('December 2nd, 2026');
    expect(formatDate(AT, '{date_short}', o)).toBe('Dec 2, 2026');
    expect(formatDate(AT, '{date_long}', o)).toBe('Wednesday, December 2nd, 2026');
    expect(formatDate(AT, '{time_secs}', o)).toBe('23:00:00');
    expect(formatDate(AT, '{date_pretty}', o)).toBe('today');
    expect(formatDate(AT + 86_400, '{date_long_pretty}', o)).toBe('tomorrow');
    expect(formatDate(AT - 5 * 86_400, '{date_short_pretty}', o)).toBe('Nov 27, 2026');
    expect(formatDate(AT, '{ago}', o)).toBe('in 4 hours');
    // A day boundary that differs per zone: 22:00 UTC is already tomorrow in Tokyo.
    expect(formatDate(AT, '{date_num}', { tz: 'Asia/Tokyo', now: NOW })).toBe('2026-12-03');
  });

  it('falls back to the fallback text for a bad timestamp, and links when the token has a URL', () => {
    expect(mrkdwn('<!date^nope^{date}|the fallback>')).toBe('the fallback');
    expect(mrkdwn(`<!date^${AT}^{date_num}^https://example.com/x|fb>`, { tz: 'UTC' })).toContain('href="https://example.com/x"');
  });
});

describe('#channel and @member picker', () => {
  const names = namesOf(ACME!);
  it('offers the current workspace’s channels after # and members after @, never another workspace’s', () => {
    const text = '/ph digest add daily 09:00 #gr';
    const picks = mentionSuggest(text, text.length, names);
    expect(picks.map((p) => p.label)).toEqual(['#growth']);
    expect(picks[0]!.completion).toBe('/ph digest add daily 09:00 #growth ');
    expect(mentionSuggest('/ph digest add daily 09:00 #an', 30, names)).toEqual([]);
    expect(mentionSuggest('/ph access grant @', 18, names).map((p) => p.label)).toEqual(['@ana', '@max']);
    // An email address is not a mention.
    expect(mentionSuggest('/ph recordings ana@ac', 21, names)).toEqual([]);
  });

  it('keeps what follows the caret when a name is picked in the middle', () => {
    const text = '/ph access grant @m writer';
    const [pick] = mentionSuggest(text, '/ph access grant @m'.length, names);
    expect(pick!.completion).toBe('/ph access grant @max writer');
  });
});

describe('slash-command text escaped as Slack does with should_escape (real-behaviour.md)', () => {
  it('turns names of this workspace into <#C…|name> and <@U…>, and leaves unknown names plain', () => {
    expect(escapeCommandText('digest add daily 09:00 #growth "Growth"', namesOf(ACME!))).toBe('digest add daily 09:00 <#C0ACMEGRW01|growth> "Growth"');
    expect(escapeCommandText('access grant @max writer', namesOf(ACME!))).toBe('access grant <@U0MEMBER001> writer');
    // Globex's channel is not Acme's: it stays plain, as in Slack.
    expect(escapeCommandText('alert add "x" --channel #analytics', namesOf(ACME!))).toBe('alert add "x" --channel #analytics');
    expect(escapeCommandText('alert add "x" --channel #analytics', namesOf(GLOBEX!))).toBe('alert add "x" --channel <#C0GLOBEX001|analytics>');
  });

  it('escapes &, < and > and wraps links, but not inside emails', () => {
    expect(escapeCommandText('query SELECT 1 < 2 && 3 > 2', namesOf(ACME!))).toBe('query SELECT 1 &lt; 2 &amp;&amp; 3 &gt; 2');
    expect(escapeCommandText('recordings ana@acme.com', namesOf(ACME!))).toBe('recordings ana@acme.com');
    expect(escapeCommandText('see https://us.posthog.com/x#growth', namesOf(ACME!))).toBe('see <https://us.posthog.com/x#growth>');
  });
});

describe('file links', () => {
  it('opens the local Slack’s url_private and permalink through the page’s /files/<id>', () => {
    expect(localFileUrl('http://127.0.0.1:5555/files/F0000001/query-result.csv', 'http://127.0.0.1:5555')).toBe('/files/F0000001');
    expect(localFileUrl('http://127.0.0.1:5555/files/F0000001', 'http://127.0.0.1:5555')).toBe('/files/F0000001');
    expect(localFileUrl('https://us.posthog.com/files/F1', 'http://127.0.0.1:5555')).toBe('https://us.posthog.com/files/F1');
    expect(mrkdwn('<http://127.0.0.1:5555/files/F0000001/query-chart.png|query-chart.png>', { slackUrl: 'http://127.0.0.1:5555' })).toContain('href="/files/F0000001"');
  });
});

describe('audit changes in words (issue 15 item 4)', async () => {
  const { changeText } = await import('../../views/audit.js');
  it('shows only the touched fields as before → after', () => {
    expect(changeText({ active: true }, { active: false, key: 'dark-mode', filters: { groups: [] } })).toBe('active: yes → *no*');
    expect(changeText({ rollout_percentage: 10, name: 'x' }, { rollout_percentage: 50, name: 'x' })).toBe('rollout percentage: 10 → *50*');
    expect(changeText(null, { key: 'new-flag', active: true, filters: {} })).toBe('created: key new-flag, active yes');
    expect(changeText({ key: 'gone' }, null)).toBe('deleted');
    expect(changeText('reader', 'writer')).toBe('reader → *writer*');
  });
});

describe('small things a newcomer noticed (issue 15 item 9)', async () => {
  const { longerSpan } = await import('../../views/recordings.js');
  const { personsListMessage } = await import('../../views/persons.js');
  const { textOf } = await import('../rig/harness.js');

  it('suggests a longer recordings window than the empty one, never the same', () => {
    expect(longerSpan('7d')).toBe('30d');
    expect(longerSpan('24h')).toBe('7d');
    expect(longerSpan('30d')).toBe('90d');
    expect(longerSpan('2w')).toBe('30d');
    expect(longerSpan('3m')).toBeNull();
  });

  it('shows a person’s id once in the persons list', () => {
    const anonymous = { id: 'p1', uuid: 'p1', name: null, distinct_ids: ['018e36e6-8e30-7a37-ac28-284b18ae2e6b'], properties: {}, created_at: '2026-12-01T00:00:00Z' };
    const known = { id: 'p2', uuid: 'p2', name: 'tomas@proton.me', distinct_ids: ['tomas@proton.me'], properties: { email: 'tomas@proton.me', name: 'Tomás' }, created_at: '2026-12-01T00:00:00Z' };
    const text = textOf(personsListMessage({ persons: [anonymous, known] as never, search: null, timeZone: 'UTC', page: { offset: 0, limit: 10, total: 2, nextOffset: null } as never }));
    expect(text.split('018e36e6-8e30-7a37-ac28-284b18ae2e6b').length - 1).toBe(1);
    expect(text.split('tomas@proton.me').length - 1).toBe(1);
  });
});
