import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, fitMessage } from '../../views/blocks.js';
import { safeText } from '../../views/safe-text.js';

// Issue 11 item 5: every message's top-level text passes through fitMessage, which makes it safe.
describe('safeText', () => {
  it('escapes broadcast mentions, user groups and labelled (user-typed) mentions', () => {
    expect(safeText('No persons match <!channel>')).toBe('No persons match &lt;!channel&gt;');
    expect(safeText('<!here> <!everyone> <!subteam^S1|@eng>')).toBe('&lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S1|@eng&gt;');
    expect(safeText('hi <@U0MAX0001|max> in <#C0GROWTH01|growth>')).toBe('hi &lt;@U0MAX0001|max&gt; in &lt;#C0GROWTH01|growth&gt;');
    expect(safeText('a < b > c & d')).toBe('a &lt; b &gt; c &amp; d');
    expect(safeText('<<!channel>>')).toBe('&lt;&lt;!channel&gt;&gt;');
  });

  it('keeps the markup Hogbot writes itself', () => {
    const own =
      '<@U0ADMIN0001> made <@W0GRID00001> a writer in <#C0GROWTH01>, <https://us.posthog.com/project/1|see it> <!date^1700000000^{date_short_pretty}|2023-11-14>';
    expect(safeText(own)).toBe(own);
  });

  it('never escapes twice: mrkdwn-escaped text is left as it is', () => {
    const escaped = escapeMrkdwn('Tom & Jerry <!channel>');
    expect(safeText(escaped)).toBe(escaped);
    expect(safeText(safeText('x & <!here>'))).toBe(safeText('x & <!here>'));
  });

  it('is applied by fitMessage, with or without blocks', () => {
    expect(fitMessage({ text: 'hey <!channel>' }).text).toBe('hey &lt;!channel&gt;');
    expect(fitMessage({ text: 'hey <!channel>', blocks: [] }).text).toBe('hey &lt;!channel&gt;');
  });
});
