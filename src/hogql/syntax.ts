/**
 * The bot's syntax check: PostHog's own HogQL parser (WASM) runs before anything is sent, so a typo is answered at
 * once, with PostHog's wording, and never costs a query against the project's rate limit.
 *
 * @example
 * const problem = await checkSyntax('SELEC x');
 * // { message: "mismatched input 'SELEC' expecting {SELECT, WITH, '{', '(', '<'}", line: 1, column: 1, ... }
 */
import { createRequire } from 'node:module';
import type { HogQLParser } from '@posthog/hogql-parser';
import type createHogQLParser from '@posthog/hogql-parser';

// The CommonJS build, on purpose: under tsx (how Hogbot runs) importing the ESM build pushes its 1 MB of inlined WASM
// through the transformer and costs about 180 MB of RSS; require() loads the same parser for about 5 MB.
const { default: createParser } = createRequire(import.meta.url)('@posthog/hogql-parser') as { default: typeof createHogQLParser };

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

let loading: Promise<HogQLParser> | undefined;
let loaded: HogQLParser | undefined;

/** Starts loading the WASM parser (about 20 ms); later calls share the same instance. */
export function loadParser(): Promise<HogQLParser> {
  loading ??= createParser().then(
    (parser) => (loaded = parser),
    (error: unknown) => {
      loading = undefined; // a later call retries instead of caching the failure
      throw error;
    },
  );
  return loading;
}

export async function checkSyntax(query: string): Promise<SyntaxCheck> {
  return remembered(query) ?? inspect(await loadParser(), query);
}

/**
 * The same check without waiting, for modal validation (which must answer Slack synchronously). Null while the parser
 * is still loading; the submission is checked again before it runs.
 */
export function checkSyntaxNow(query: string): SyntaxCheck | null {
  const known = remembered(query);
  if (known) return known;
  if (!loaded) {
    void loadParser().catch(() => undefined);
    return null;
  }
  return inspect(loaded, query);
}

/**
 * PostHog's WASM parser takes 10-50 ms for an ordinary GROUP BY query, more than everything else the bot does for a
 * query put together. The verdict depends on the text alone, and the same texts come back (re-runs, scheduled
 * digests, buttons), so recent verdicts are kept: most recently used last, oldest evicted.
 */
const MEMORY = 500;
const MEMORABLE_CHARS = 20_000;
const verdicts = new Map<string, SyntaxCheck>();

function remembered(query: string): SyntaxCheck | undefined {
  const known = verdicts.get(query);
  if (known) {
    verdicts.delete(query);
    verdicts.set(query, known);
  }
  return known;
}

function remember(query: string, check: SyntaxCheck): SyntaxCheck {
  if (query.length > MEMORABLE_CHARS) return check;
  if (verdicts.size >= MEMORY) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(query, check);
  return check;
}

const CURLY = /[\u2018\u2019\u201c\u201d]/;

/**
 * Slack clients with smart punctuation turn ' and " into ‘ ’ “ ”, which HogQL does not read as quotes. When the text
 * fails to parse as typed but parses with straight quotes, that is what the person meant.
 */
export function withStraightQuotes(query: string, check: SyntaxCheck): { query: string; check: SyntaxCheck; straightened: boolean } {
  if (check.ok || !CURLY.test(query)) return { query, check, straightened: false };
  const straight = query.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  // The parser is loaded: `check` came from it.
  const again = checkSyntaxNow(straight);
  return again?.ok ? { query: straight, check: again, straightened: true } : { query, check, straightened: false };
}

interface ParserAnswer {
  error?: boolean;
  message?: string;
  start?: { offset?: number };
  end?: { offset?: number };
  node?: string;
  limit?: unknown;
}

function inspect(parser: HogQLParser, query: string): SyntaxCheck {
  // isInternal: no positions in the AST, which makes the JSON several times smaller.
  const answer = JSON.parse(parser.parseSelect(query, true)) as ParserAnswer;
  if (answer.error) {
    const offset = clamp(answer.start?.offset ?? 0, query.length);
    const endOffset = clamp(Math.max(answer.end?.offset ?? offset, offset), query.length);
    return remember(query, { ok: false, problem: { message: answer.message ?? 'Syntax error', offset, endOffset, ...locate(query, offset) } });
  }
  return remember(query, { ok: true, hasLimit: answer.limit !== null && answer.limit !== undefined, isUnion: answer.node === 'SelectSetQuery' });
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

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
