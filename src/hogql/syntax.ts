/**
 * The bot's syntax check: PostHog's own HogQL parser (WASM) runs before anything is sent, so a typo is answered with
 * PostHog's wording and never costs a query against the project's rate limit.
 *
 * The parser runs in the worker pool, never on the event loop: its time grows about 2x per nesting level
 * (`SELECT ((((((((((((((((((((1))))))))))))))))))))`, 48 characters, took 18 s), so
 * - a cheap scan refuses absurd nesting or length before any parsing (measured: 12 nested parentheses parse in about
 *   0.3 s, 13 in 0.5 s, 16 in 2.8 s; nested calls like `f(x, f(x, …))` grow faster still);
 * - the parse has a hard time limit; over it, its worker is terminated and the answer is "too complex to check";
 * - each text is parsed once: verdicts are remembered (bounded, most recently used kept) and concurrent checks of the
 *   same text share one parse.
 *
 * @example
 * const problem = await checkSyntax('SELEC x');
 * // { ok: false, problem: { message: "mismatched input 'SELEC' expecting {SELECT, WITH, '{', '(', '<'}", line: 1, ... } }
 */
import { CommandError } from '../errors.js';
import { isTaskTimeout } from '../workers/errors.js';
import { sharedPool } from '../workers/pool.js';
import type { SyntaxCheck } from './syntax-problem.js';

export { caretSnippet, locate, type SyntaxCheck, type SyntaxProblem } from './syntax-problem.js';

/** Deeper nesting of ( [ { than this is refused unparsed (13 levels already take ~0.5 s). */
export const MAX_NESTING = 12;
/**
 * Longer texts are refused unparsed: a flat 13,000-character column list already takes the parser over 0.5 s. Slack
 * caps a slash command at 4,000 characters and the editor's input at 3,000; saved queries allow 5,000
 * (commands/saved-query.ts). ClickHouse's own ceiling (max_query_size, 256 KiB) is far above any of these.
 */
export const MAX_QUERY_CHARS = 5_000;
/** The parser's time limit per text, counted from when a worker starts it. */
export const PARSE_LIMIT_MS = 500;

/** A query the bot will not try to check (and so will not send). A CommandError: shown as written, ephemeral. */
export class QueryTooComplexError extends CommandError {
  readonly code = 'query_too_complex' as const;
}

const tooComplex = (why: string) =>
  new QueryTooComplexError(
    `This query is too complex to check: ${why}. Nothing was sent to PostHog; simplify it (fewer nested brackets) and try again.`,
  );

/**
 * The cheap scan: nesting depth of ( [ { outside strings, quoted names and comments, and the length. Null when the
 * text may be parsed.
 */
export function precheck(query: string): QueryTooComplexError | null {
  if (query.length > MAX_QUERY_CHARS)
    return tooComplex(`it is ${query.length.toLocaleString('en-US')} characters long (at most ${MAX_QUERY_CHARS.toLocaleString('en-US')})`);
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < query.length; i += 1) {
    const c = query[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // Quoted text: skip to the closing quote (a backslash escapes; a doubled quote is one quote, and reads the same).
      for (i += 1; i < query.length && query[i] !== c; i += 1) if (query[i] === '\\') i += 1;
    } else if (c === '-' && query[i + 1] === '-') {
      const end = query.indexOf('\n', i);
      i = end === -1 ? query.length : end;
    } else if (c === '/' && query[i + 1] === '*') {
      const end = query.indexOf('*/', i + 2);
      i = end === -1 ? query.length : end + 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if ((c === ')' || c === ']' || c === '}') && depth > 0) {
      depth -= 1;
    }
  }
  return deepest > MAX_NESTING ? tooComplex(`its brackets nest ${deepest} deep (at most ${MAX_NESTING})`) : null;
}

type Verdict = SyntaxCheck | QueryTooComplexError;

/**
 * The verdict depends on the text alone, and the same texts come back (re-runs, scheduled digests, buttons), so
 * recent verdicts are kept: most recently used last, oldest evicted.
 */
const MEMORY = 500;
const verdicts = new Map<string, Verdict>();
const inFlight = new Map<string, Promise<Verdict>>();

function remembered(query: string): Verdict | undefined {
  const known = verdicts.get(query);
  if (known) {
    verdicts.delete(query);
    verdicts.set(query, known);
  }
  return known;
}

function remember(query: string, verdict: Verdict): Verdict {
  if (verdicts.size >= MEMORY) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(query, verdict);
  return verdict;
}

const settle = (verdict: Verdict): SyntaxCheck => {
  if (verdict instanceof QueryTooComplexError) throw verdict;
  return verdict;
};

/** Checks a query in the worker pool. Throws QueryTooComplexError (refused or over the time limit) or PoolBusyError. */
export async function checkSyntax(query: string): Promise<SyntaxCheck> {
  const known = remembered(query);
  if (known) return settle(known);
  const refused = precheck(query);
  if (refused) return settle(remember(query, refused));
  let pending = inFlight.get(query);
  if (!pending) {
    pending = parseInPool(query).finally(() => inFlight.delete(query));
    inFlight.set(query, pending);
  }
  return settle(await pending);
}

async function parseInPool(query: string): Promise<Verdict> {
  try {
    return remember(query, await sharedPool('parse').run('syntax', { query }, { timeoutMs: PARSE_LIMIT_MS }));
  } catch (error) {
    if (isTaskTimeout(error)) return remember(query, tooComplex(`PostHog's parser needed more than ${PARSE_LIMIT_MS} ms`));
    throw error;
  }
}

/** Starts the pool and loads the parser in its workers, so the first query does not wait for them. */
export function warmSyntax(): void {
  void sharedPool('parse')
    .run('syntax', { query: 'SELECT 1' })
    .catch(() => undefined);
}

/** The remembered verdict, without parsing (for answers that must not wait, like a modal's validation). */
export function knownSyntax(query: string): SyntaxCheck | null {
  const known = remembered(query);
  return known && !(known instanceof QueryTooComplexError) ? known : null;
}

const CURLY = /[\u2018\u2019\u201c\u201d]/;

/**
 * Slack clients with smart punctuation turn ' and " into ‘ ’ “ ”, which HogQL does not read as quotes. When the text
 * fails to parse as typed but parses with straight quotes, that is what the person meant.
 */
export async function withStraightQuotes(
  query: string,
  check: SyntaxCheck,
): Promise<{ query: string; check: SyntaxCheck; straightened: boolean }> {
  if (check.ok || !CURLY.test(query)) return { query, check, straightened: false };
  const straight = query.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  const again = await checkSyntax(straight);
  return again.ok ? { query: straight, check: again, straightened: true } : { query, check, straightened: false };
}
