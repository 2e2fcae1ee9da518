/**
 * PostHog's own HogQL parser (WASM), run inside the worker pool only (src/workers/worker.ts): its time grows
 * exponentially with nesting, so it must never run on the event loop. One parser per worker, loaded on first use.
 */
import { createRequire } from 'node:module';
import type { HogQLParser } from '@posthog/hogql-parser';
import type createHogQLParser from '@posthog/hogql-parser';
import { locate, type SyntaxCheck } from './syntax-problem.js';

// The CommonJS build, on purpose: under tsx importing the ESM build pushes its 1 MB of inlined WASM through the
// transformer and costs about 180 MB of RSS; require() loads the same parser for about 5 MB.
const { default: createParser } = createRequire(import.meta.url)('@posthog/hogql-parser') as { default: typeof createHogQLParser };

let loading: Promise<HogQLParser> | undefined;

function parser(): Promise<HogQLParser> {
  loading ??= createParser()
    .then(warm)
    .catch((error: unknown) => {
      loading = undefined; // a later call retries instead of caching the failure
      throw error;
    });
  return loading;
}

/**
 * A fresh parser is slow on its first queries (ANTLR builds its prediction tables as it meets new shapes: about 1.6 s
 * for the first GROUP BY query on a busy machine, 0.5 s the second time). Common shapes are parsed once at load, so a
 * user's first query in a new worker is not charged that against its time limit.
 */
const WARM_UP = [
  'SELECT 1',
  "SELECT event, count() FROM events WHERE timestamp > now() - INTERVAL 7 DAY AND event = '$pageview' GROUP BY event ORDER BY count() DESC LIMIT 10",
  "SELECT toStartOfDay(toTimeZone(timestamp, 'UTC')) AS day, countIf(and(equals(event, 'a'), notEquals(properties.$browser, 'b'))) FROM events GROUP BY day",
  'SELECT * FROM (SELECT person_id, count() AS n FROM events GROUP BY person_id) WHERE n > 1 UNION ALL SELECT 1, 2',
  'SELECT count( FROM events',
];

function warm(loaded: HogQLParser): HogQLParser {
  for (const query of WARM_UP) loaded.parseSelect(query, true);
  return loaded;
}

/** The parser, loaded and warmed; then each check is synchronous. */
export async function readyParser(): Promise<(query: string) => SyntaxCheck> {
  const loaded = await parser();
  return (query) => inspect(loaded, query);
}

interface ParserAnswer {
  error?: boolean;
  message?: string;
  start?: { offset?: number };
  end?: { offset?: number };
  node?: string;
  limit?: unknown;
}

function inspect(loaded: HogQLParser, query: string): SyntaxCheck {
  // isInternal: no positions in the AST, which makes the JSON several times smaller.
  const answer = JSON.parse(loaded.parseSelect(query, true)) as ParserAnswer;
  if (answer.error) {
    const offset = clamp(answer.start?.offset ?? 0, query.length);
    const endOffset = clamp(Math.max(answer.end?.offset ?? offset, offset), query.length);
    return { ok: false, problem: { message: answer.message ?? 'Syntax error', offset, endOffset, ...locate(query, offset) } };
  }
  return { ok: true, hasLimit: answer.limit !== null && answer.limit !== undefined, isUnion: answer.node === 'SelectSetQuery' };
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));
