/**
 * What a syntax check answers, and how a problem is pointed at. Pure text work: no parser here, so views can import it
 * without loading PostHog's WASM parser (that runs only in the worker pool, see parse.ts).
 */
export interface SyntaxProblem {
  /** PostHog's message, as its parser words it. */
  message: string;
  /** 1-based, as editors count. */
  line: number;
  /** 1-based. */
  column: number;
  /** 0-based character offsets into the query text. */
  offset: number;
  endOffset: number;
  /** The text of the offending line. */
  lineText: string;
}

/** What the parser says about a query: a problem, or the shape facts the bot needs (LIMIT present, UNION). */
export type SyntaxCheck = { ok: false; problem: SyntaxProblem } | { ok: true; hasLimit: boolean; isUnion: boolean };

/** The WASM build reports line 0 / column 0 for errors, so positions come from the offset. */
export function locate(text: string, offset: number): { line: number; column: number; lineText: string } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = before.split('\n').length;
  return { line, column: offset - lineStart + 1, lineText: text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd) };
}

const WINDOW = 72;

/**
 * The offending line with a caret under the problem, windowed around it when the line is long:
 * ```
 * SELECT count( FROM events
 *               ^^^^
 * ```
 */
export function caretSnippet(problem: SyntaxProblem): string {
  const text = problem.lineText.replace(/\t/g, ' ');
  const col = problem.column - 1;
  // Underline the offending token only: the parser's end offset often runs to the end of the input.
  const token = /^\S+/.exec(text.slice(col))?.[0].length ?? 1;
  const span = Math.max(1, Math.min(problem.endOffset - problem.offset, token, 20));
  let from = 0;
  if (text.length > WINDOW) from = Math.max(0, Math.min(col - Math.floor(WINDOW / 2), text.length - WINDOW));
  const to = Math.min(text.length, from + WINDOW);
  const lead = from > 0 ? '…' : '';
  const tail = to < text.length ? '…' : '';
  const shown = `${lead}${text.slice(from, to)}${tail}`;
  return `${shown}\n${' '.repeat(lead.length + col - from)}${'^'.repeat(span)}`;
}
