/**
 * Runs HogQL through PostHog's query endpoint in async mode: `POST /query/` with `refresh: "async"` and our own
 * `client_query_id` (so the id is known before the first byte is sent, a retried POST is harmless, and Cancel can be
 * offered at once), then `GET /query/{id}/` with backoff until the status is complete. Past the deadline the query is
 * cancelled upstream (`DELETE /query/{id}/`) rather than left to burn the project's concurrency slots.
 */
import { z } from 'zod';
import type { PostHogClient } from '../posthog/client.js';
import { isUpstreamError } from '../posthog/errors.js';
import { path } from '../posthog/path.js';
import { typesFor } from './columns.js';

export interface HogQLResult {
  columns: string[];
  /** ClickHouse type names, aligned with `columns` ('' when PostHog sent none). */
  types: string[];
  results: unknown[][];
  /** PostHog's own flag: more rows exist past its LIMIT (null when the query carried a LIMIT). */
  hasMore: boolean | null;
  /** The LIMIT PostHog applied when it paginated (its default 100), else null. */
  limit: number | null;
}

export interface RunOptions {
  projectId: number | '@current';
  query: string;
  /** Sent as `client_query_id`: PostHog's id for the query, used to poll and to cancel. */
  queryId: string;
  /** Give up (and cancel upstream) after this long. */
  deadlineMs: number;
  /** Aborting stops polling; the caller is expected to have cancelled upstream (the Cancel button does). */
  signal?: AbortSignal;
  /** Called after every poll that found the query still running. */
  onPoll?: (elapsedMs: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  clock?: () => number;
  /** The caller already holds this query's slot (the query flow takes it before the syntax check). */
  slotHeld?: boolean;
}

export interface RunOutcome {
  result: HogQLResult;
  elapsedMs: number;
  polls: number;
}

export type QueryRunErrorKind = 'timeout' | 'cancelled' | 'failed';

/** The query did not produce a result: past the deadline, cancelled, or failed upstream with a message. */
export class QueryRunError extends Error {
  override readonly name = 'QueryRunError' as const;
  constructor(
    readonly kind: QueryRunErrorKind,
    readonly detail: string,
    readonly elapsedMs: number,
  ) {
    super(`${kind}: ${detail}`);
  }
}

export function isQueryRunError(e: unknown): e is QueryRunError {
  return e instanceof Error && e.name === 'QueryRunError' && 'kind' in e;
}

export const queryResultSchema = z.looseObject({
  results: z.array(z.array(z.unknown())),
  columns: z.array(z.string()).nullish(),
  types: z.array(z.unknown()).nullish(),
  hasMore: z.boolean().nullish(),
  limit: z.number().nullish(),
  error: z.string().nullish(),
});

// Only what is read, and all of it optional: a running query's status carries no `results` (a required `z.unknown()`
// would refuse it in zod 4 and turn a running query into "PostHog sent an answer Hogbot did not understand").
const statusSchema = z.looseObject({
  id: z.string().nullish(),
  complete: z.boolean().nullish(),
  error: z.boolean().nullish(),
  error_message: z.string().nullish(),
  results: z.unknown().optional(),
});

/** 202 `{query_status}` while running; 200 with the results themselves when PostHog answered from cache. */
export const queryAnswerSchema = z.looseObject({ results: z.unknown().optional(), query_status: statusSchema.nullish() });
const answerSchema = queryAnswerSchema;

/** First poll soon (small queries finish in tens of ms), then back off to a poll every 2 s. */
export const POLL_DELAYS_MS = [40, 80, 160, 320, 640, 1000, 1500, 2000] as const;

export async function runHogQL(posthog: PostHogClient, opts: RunOptions): Promise<RunOutcome> {
  const clock = opts.clock ?? (() => performance.now());
  // PostHog runs 3 queries per project at once; ours wait for a turn here (or hear at once that they are too many).
  // The deadline counts from the turn: time in line is not the query's fault.
  const release = opts.slotHeld ? undefined : await posthog.querySlot?.(opts.projectId);
  const started = clock();
  const elapsed = () => clock() - started;
  try {
    return await pollUntilDone(posthog, opts, elapsed);
  } catch (error) {
    // The transport rethrows the signal's reason; whatever was in flight, a cancelled query reads as cancelled.
    if (opts.signal?.aborted && !isQueryRunError(error)) throw new QueryRunError('cancelled', 'cancelled', elapsed());
    throw error;
  } finally {
    await release?.();
  }
}

async function pollUntilDone(posthog: PostHogClient, opts: RunOptions, elapsed: () => number): Promise<RunOutcome> {
  const sleep = opts.sleep ?? abortableSleep;
  const queryPath = path`/api/projects/${opts.projectId}/query/`;
  const body = { query: { kind: 'HogQLQuery', query: opts.query }, refresh: 'async', client_query_id: opts.queryId };

  // Read-only, and the client_query_id makes a repeated POST return the same query: safe to retry on 429/5xx.
  let answer = await posthog.request('POST', queryPath, answerSchema, { body, idempotent: true, ...signalOf(opts) });
  // Poll the id PostHog says the query has (posthog/api/query.py: the client_query_id today), falling back to ours.
  const pollId = answer.query_status?.id || opts.queryId;
  for (let polls = 0; ; polls += 1) {
    const done = completed(answer, elapsed());
    if (done) return { result: done, elapsedMs: elapsed(), polls };
    if (polls > 0) opts.onPoll?.(elapsed());
    const left = opts.deadlineMs - elapsed();
    if (left <= 0) {
      await cancelQuery(posthog, opts.projectId, pollId);
      throw new QueryRunError('timeout', `still running after ${Math.round(elapsed() / 1000)} s`, elapsed());
    }
    // The last poll lands on the deadline itself, so a query that finishes just in time is still answered.
    await sleep(Math.min(POLL_DELAYS_MS[Math.min(polls, POLL_DELAYS_MS.length - 1)]!, left), opts.signal);
    if (opts.signal?.aborted) throw new QueryRunError('cancelled', 'cancelled', elapsed());
    try {
      answer = await posthog.request('GET', path`/api/projects/${opts.projectId}/query/${pollId}/`, answerSchema, signalOf(opts));
    } catch (error) {
      // A cancelled query is forgotten upstream: its status answers 404 (Cancel clicked on another replica).
      if (isUpstreamError(error) && error.kind === 'posthog_not_found') throw new QueryRunError('cancelled', 'cancelled', elapsed());
      throw error;
    }
  }
}

function signalOf(opts: RunOptions): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}

function completed(answer: z.infer<typeof answerSchema>, elapsedMs: number): HogQLResult | null {
  const status = answer.query_status;
  if (Array.isArray(answer.results)) return toResult(answer, elapsedMs);
  if (!status || !status.complete) return null;
  if (status.error) throw new QueryRunError('failed', status.error_message ?? 'the query failed', elapsedMs);
  return toResult(status.results, elapsedMs);
}

function toResult(value: unknown, elapsedMs: number): HogQLResult {
  const parsed = queryResultSchema.safeParse(value);
  if (!parsed.success) throw new QueryRunError('failed', 'PostHog sent a result Hogbot could not read', elapsedMs);
  if (parsed.data.error) throw new QueryRunError('failed', parsed.data.error, elapsedMs);
  const width = parsed.data.results[0]?.length ?? 0;
  const columns = parsed.data.columns ?? Array.from({ length: width }, (_, i) => `column ${i + 1}`);
  return {
    columns,
    types: typesFor(columns, parsed.data.types),
    results: parsed.data.results,
    hasMore: parsed.data.hasMore ?? null,
    limit: parsed.data.limit ?? null,
  };
}

/**
 * `DELETE /query/{id}/`, best effort: the query is abandoned either way, and a failure here must not hide why it was
 * abandoned. PostHog answers 204 whether or not the query still exists.
 */
export async function cancelQuery(posthog: PostHogClient, projectId: number | '@current', queryId: string): Promise<boolean> {
  try {
    await posthog.request('DELETE', path`/api/projects/${projectId}/query/${queryId}/`, z.unknown(), { timeoutMs: 5_000 });
    return true;
  } catch {
    return false;
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
