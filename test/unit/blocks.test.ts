import { describe, expect, it } from 'vitest';
import { blockTextLength, escapeMrkdwn, fitMessage, LIMITS, section } from '../../views/blocks.js';

describe('fitMessage', () => {
  it('keeps at most 50 blocks and says how many were left out', () => {
    const blocks = Array.from({ length: 80 }, (_, i) => section(`row ${i}`));
    const fitted = fitMessage({ text: 'x', blocks });
    expect(fitted.blocks).toHaveLength(LIMITS.blocksPerMessage);
    expect(JSON.stringify(fitted.blocks?.at(-1))).toContain('31 more blocks not shown');
  });

  it('keeps the total block text under the budget', () => {
    const blocks = Array.from({ length: 20 }, () => section('y'.repeat(2900)));
    const fitted = fitMessage({ text: 'x', blocks });
    expect(blockTextLength(fitted.blocks ?? [])).toBeLessThanOrEqual(LIMITS.messageTextBudget + 200);
    expect(fitted.blocks!.length).toBeLessThan(20);
  });

  it('leaves a small message alone', () => {
    const message = { text: 'x', blocks: [section('hello')] };
    expect(fitMessage(message)).toEqual(message);
  });

  it('section text never exceeds 3000 chars', () => {
    const block = section('z'.repeat(5000)) as { text: { text: string } };
    expect(block.text.text.length).toBe(LIMITS.sectionText);
  });

  it('escapeMrkdwn neutralises mentions', () => {
    expect(escapeMrkdwn('<!channel> & co')).toBe('&lt;!channel&gt; &amp; co');
  });
});
