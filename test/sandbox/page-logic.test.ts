import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseUnfurlId, unfurlId } from '../../src/sandbox/bridge.js';
import { asPosted } from '../../src/sandbox/local-slack.js';
import { Timeline } from '../../src/sandbox/timeline.js';

// The page's modules are plain browser JavaScript (no build step); their pure parts run in Node too.
const publicUrl = (name: string) => pathToFileURL(`${process.cwd()}/src/sandbox/public/${name}`).href;
const { mrkdwn } = (await import(publicUrl('mrkdwn.js'))) as { mrkdwn: (text: string, ctx?: object) => string };
const { suggest } = (await import(publicUrl('composer.js'))) as {
  suggest: (
    text: string,
    slash: string,
    commands: Array<{ name: string; aliases: string[]; usage: string; summary: string }>,
  ) => Array<{ label: string; completion: string | null }>;
};

const users = new Map([['U0ADMIN0001', { name: 'ana' }]]);
const channels = new Map([['C0ACMEGRW01', { name: 'growth' }]]);

describe('mrkdwn', () => {
  it('formats bold, italic, strike and code, and keeps formatting around links', () => {
    expect(mrkdwn('*bold* _it_ ~gone~ `x*y*`')).toBe('<b>bold</b> <i>it</i> <s>gone</s> <code>x*y*</code>');
    expect(mrkdwn('now uses *<https://us.posthog.com/project/1|Acme Web>*')).toBe(
      'now uses <b><a href="https://us.posthog.com/project/1" target="_blank" rel="noopener noreferrer">Acme Web</a></b>',
    );
  });

  it('decodes Slack’s three escapes once and escapes HTML', () => {
    expect(mrkdwn('1 &lt; 2 &amp;&amp; 3 &gt; 2')).toBe('1 &lt; 2 &amp;&amp; 3 &gt; 2');
    expect(mrkdwn('a &lt;script&gt; tag')).toBe('a &lt;script&gt; tag');
    expect(mrkdwn('"quoted" & \'single\'')).toBe('&quot;quoted&quot; &amp; &#39;single&#39;');
  });

  it('names users and channels, and links only web and mail URLs', () => {
    expect(mrkdwn('<@U0ADMIN0001> in <#C0ACMEGRW01> and <#C9|other> <!here>', { users, channels })).toBe(
      '<span class="mention">@ana</span> in <span class="mention">#growth</span> and <span class="mention">#other</span> <span class="mention">@here</span>',
    );
    expect(mrkdwn('<javascript:alert(1)|click>')).toBe('click');
  });

  it('keeps code blocks verbatim, quotes lines, leaves snake_case alone and turns known emoji into characters', () => {
    expect(mrkdwn('```\nSELECT *a* FROM t &lt; 3```')).toBe('<pre class="code-block">SELECT *a* FROM t &lt; 3</pre>');
    expect(mrkdwn('&gt; quoted\nplain')).toBe('<span class="quote">quoted</span><br>plain');
    expect(mrkdwn('feature_flag_called')).toBe('feature_flag_called');
    expect(mrkdwn(':warning: :not_an_emoji:')).toBe('⚠️ :not_an_emoji:');
  });
});

describe('composer completion', () => {
  const commands = [
    { name: 'help', aliases: [], usage: '/ph help [command]', summary: 'Every command' },
    { name: 'connection list', aliases: ['connections'], usage: '/ph connection list', summary: 'Connections' },
    { name: 'connection use', aliases: [], usage: '/ph connection use <id>', summary: 'Use one' },
  ];

  it('offers the slash command, then the registry’s commands by prefix', () => {
    expect(suggest('/p', '/ph', commands).map((s) => s.completion)).toEqual(['/ph ']);
    expect(suggest('/ph conn', '/ph', commands).map((s) => s.completion)).toEqual(['/ph connection list ', '/ph connection use ']);
    expect(suggest('hello', '/ph', commands)).toEqual([]);
  });

  it('shows only the usage once the command is typed in full', () => {
    expect(suggest('/ph connection use conn_acme', '/ph', commands)).toEqual([
      expect.objectContaining({ label: '/ph connection use <id>', completion: null }),
    ]);
    expect(suggest('/ph help', '/ph', commands)).toEqual([expect.objectContaining({ completion: null })]);
  });
});

describe('what the page shows', () => {
  it('keeps typed and posted messages in the order they appeared, and hides others’ ephemerals', () => {
    const timeline = new Timeline();
    const typed = timeline.addTyped({ channel: 'C1', user: 'U1', text: '/ph help', ephemeralTo: 'U1' }, 1_700_000_000_000);
    const messages = [
      { channel: 'C1', ts: '1700000001.000002', user: 'UBOT', text: 'help for U1', ephemeralTo: 'U1', via: 'response_url' as const },
      { channel: 'C1', ts: '1700000001.000003', user: 'UBOT', text: 'for everyone', via: 'chat.postMessage' as const },
    ];
    expect(timeline.entries('C1', 'U1', messages).map((e) => e.text)).toEqual(['/ph help', 'help for U1', 'for everyone']);
    expect(timeline.entries('C1', 'U2', messages).map((e) => e.text)).toEqual(['for everyone']);
    expect(timeline.typedEntry('C1', typed.ts)?.kind).toBe('user');
  });

  it('stores typed text as Slack does: escaped, with links wrapped', () => {
    expect(asPosted('see https://us.posthog.com/x?a=1&b=2 & <this>')).toBe('see <https://us.posthog.com/x?a=1&amp;b=2> &amp; &lt;this&gt;');
  });

  it('finds a message again from the unfurl_id it handed out', () => {
    expect(parseUnfurlId(unfurlId('C0ACMEGRW01', '1700000000.912345'))).toEqual({ channel: 'C0ACMEGRW01', ts: '1700000000.912345' });
    expect(parseUnfurlId('C-123')).toBeUndefined();
  });
});
