import { describe, expect, it } from 'vitest';
import { TokenizeError, tokenize } from '../../src/registry/tokenize.js';

const values = (text: string) => tokenize(text).map((t) => t.value);

describe('tokenize', () => {
  it('splits on any whitespace', () => {
    expect(values('  flag   off\tnew-checkout \n')).toEqual(['flag', 'off', 'new-checkout']);
  });

  it('groups straight and curly quotes, and marks them quoted', () => {
    expect(tokenize('annotate "Pricing page launched" --date \u201cyesterday 14:00\u201d')).toEqual([
      { value: 'annotate', quoted: false },
      { value: 'Pricing page launched', quoted: true },
      { value: '--date', quoted: false },
      { value: 'yesterday 14:00', quoted: true },
    ]);
    expect(values("say 'it works'")).toEqual(['say', 'it works']);
  });

  it('keeps Slack markup as one token and undoes Slack escapes', () => {
    expect(values('access grant <@U123|ana> writer')).toEqual(['access', 'grant', '<@U123|ana>', 'writer']);
    expect(values('a&amp;b x&lt;y')).toEqual(['a&b', 'x<y']);
  });

  it('rejects an unclosed quote with a readable message', () => {
    expect(() => tokenize('annotate "oops')).toThrow(TokenizeError);
    expect(() => tokenize('annotate "oops')).toThrow(/Unclosed quote/);
  });

  it('returns nothing for empty text', () => {
    expect(tokenize('   ')).toEqual([]);
  });
});

// Issue 11 item 7: each `<` searched the rest of the input for its `>`, which made "<<<<…" quadratic.
describe('tokenize on long input', () => {
  it('scans for closing brackets once: 400 KB of "<a " in well under the quadratic time', () => {
    const started = performance.now();
    const tokens = tokenize('<a '.repeat(136_000));
    // Quadratic took ~12 s for 40 KB on the test machine; this is ten times that input. Generous so it can't flake.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(tokens).toHaveLength(136_000);
    expect(tokenize('<a <b> c>')).toEqual([
      { value: '<a <b>', quoted: false },
      { value: 'c>', quoted: false },
    ]);
  });
});
