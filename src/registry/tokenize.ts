/**
 * Splits slash-command text the way a shell user expects: whitespace separates words, "double", 'single' and the curly
 * quotes Slack clients substitute group words, and Slack's escapes (&lt; &gt; &amp;, and links made of typed URLs and
 * emails) are undone. Slack markup such as <@U123|ana> or <#C1|growth> stays one token.
 */
export interface Token {
  value: string;
  /** Quoted tokens are never flags or subcommand names. */
  quoted: boolean;
}

const OPENERS: Record<string, string[]> = { '"': ['"'], "'": ["'"], '\u201c': ['\u201d', '"'], '\u2018': ['\u2019', "'"] };

/** A link Slack made of a typed URL or email (should_escape): `<https://x.co>`, `<mailto:a@b.co|a@b.co>`. */
const SLACK_LINK = /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g;

/** Undoes Slack's escaping: links back to what was typed (their label, else the URL), then `&lt; &gt; &amp;`. */
export function decodeSlackEscapes(text: string): string {
  return text
    .replace(SLACK_LINK, (_, url: string, label?: string) => label ?? url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export class TokenizeError extends Error {
  override readonly name = 'TokenizeError';
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const text = input;
  // Where the next `>` is, remembered: searching afresh for every `<` made "<<<<…" quadratic (issue 11).
  let close = -1;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const closers = OPENERS[ch];
    if (closers) {
      let j = i + 1;
      while (j < text.length && !closers.includes(text[j]!)) j += 1;
      if (j >= text.length) throw new TokenizeError(`Unclosed quote: ${ch} needs a closing quote.`);
      tokens.push({ value: decodeSlackEscapes(text.slice(i + 1, j)), quoted: true });
      i = j + 1;
      continue;
    }
    if (ch === '<') {
      if (close !== Infinity && close < i) {
        const found = text.indexOf('>', i);
        close = found === -1 ? Infinity : found;
      }
      const end = close;
      if (end > i && end !== Infinity) {
        const markup = text.slice(i, end + 1);
        // A typed URL or email comes back as it was typed; channel and user mentions stay Slack markup.
        tokens.push({ value: /^<(?:https?|mailto):/.test(markup) ? decodeSlackEscapes(markup) : markup, quoted: false });
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!)) j += 1;
    tokens.push({ value: decodeSlackEscapes(text.slice(i, j)), quoted: false });
    i = j;
  }
  return tokens;
}
