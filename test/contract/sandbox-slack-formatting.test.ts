import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escapeCommandText, namesOf } from '../../src/sandbox/escape-command.js';
import { WORKSPACES } from '../../src/sandbox/people.js';

// The sandbox's local Slack emulates two Slack behaviours the bot relies on:
// - slash-command text with `should_escape: true` (/work/shared/reference/real-behaviour.md;
//   https://api.slack.com/interactivity/slash-commands "escape channels, users, and links"): `<#C…|name>`, `<@U…>`,
//   `&amp;` `&lt;` `&gt;`, links as `<url>` (src/sandbox/escape-command.ts escapeCommandText);
// - `<!date^ts^{format}^link|fallback>` drawn in the reader's time zone with the documented tokens
//   (https://docs.slack.dev/messaging/formatting-message-text#date-formatting; src/sandbox/public/mrkdwn.js formatDate).
const publicUrl = (name: string) => pathToFileURL(`${process.cwd()}/src/sandbox/public/${name}`).href;
const { mrkdwn, formatDate } = (await import(publicUrl('mrkdwn.js'))) as {
  mrkdwn: (text: string, ctx?: object) => string;
  formatDate: (seconds: number, format: string, o: { tz: string; now: Date }) => string;
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

describe('slash-command text escaped as Slack does with should_escape (real-behaviour.md)', () => {
  it('turns names of this workspace into <#C…|name> and <@U…>, and leaves unknown names plain', () => {
    expect(escapeCommandText('digest add daily 09:00 #growth "Growth"', namesOf(ACME!))).toBe(
      'digest add daily 09:00 <#C0ACMEGRW01|growth> "Growth"',
    );
    expect(escapeCommandText('access grant @max writer', namesOf(ACME!))).toBe('access grant <@U0MEMBER001> writer');
    // Globex's channel is not Acme's: it stays plain, as in Slack.
    expect(escapeCommandText('alert add "x" --channel #analytics', namesOf(ACME!))).toBe('alert add "x" --channel #analytics');
    expect(escapeCommandText('alert add "x" --channel #analytics', namesOf(GLOBEX!))).toBe(
      'alert add "x" --channel <#C0GLOBEX001|analytics>',
    );
  });

  // Slack links a typed email as `<mailto:…|…>` (docs.slack.dev/messaging/formatting-message-text, "Linking to email
  // addresses"); the bot reads it back as typed (src/registry/tokenize.ts).
  it('escapes &, < and > and wraps links and emails as Slack does', () => {
    expect(escapeCommandText('query SELECT 1 < 2 && 3 > 2', namesOf(ACME!))).toBe('query SELECT 1 &lt; 2 &amp;&amp; 3 &gt; 2');
    expect(escapeCommandText('recordings ana@acme.com', namesOf(ACME!))).toBe('recordings <mailto:ana@acme.com|ana@acme.com>');
    expect(escapeCommandText('see https://us.posthog.com/x#growth', namesOf(ACME!))).toBe('see <https://us.posthog.com/x#growth>');
  });
});
