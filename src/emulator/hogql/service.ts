/**
 * PostHog's query endpoint (`/api/projects/{id}/query/`) for HogQLQuery, independent of HTTP: blocking runs answer
 * 200 with a HogQLQueryResponse; `refresh: "async"` answers 202 with a QueryStatus and runs in the background;
 * polling answers 202 / 200 / 400 like `QueryViewSet.retrieve`; cancel drops the query (later polls 404).
 * Errors use DRF's body: `{"type": "validation_error", "code": "invalid_input", "detail": ..., "attr": null}`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HogQLEngine, HogQLResult } from './engine.js';
import { isHogQLError } from './errors.js';

export interface ServiceReply {
  status: number;
  /** Absent for 204. */
  body?: unknown;
}

export interface HogQLServiceOptions {
  engine: HogQLEngine | Promise<HogQLEngine>;
  /** `team_id` in query statuses. Default 1. */
  teamId?: number;
  /** Team time zone for queries and the response's `timezone`. Default "UTC". */
  timezone?: string;
  /** The service clock (status times, and now() in queries). Default the wall clock. */
  now?: () => Date;
  /** Artificial latency before each query runs, so clients can exercise polling, cancelling and their timeouts. */
  delayMs?: number | ((query: string) => number);
  /** How long finished statuses stay retrievable (PostHog: 10 minutes). */
  statusTtlMs?: number;
}

export interface PostContext {
  now?: Date;
  timezone?: string;
}

const ASYNC_REFRESH = new Set(['async', 'force_async', 'lazy_async']);
const REFRESH_VALUES = [
  'async',
  'async_except_on_cache_miss',
  'blocking',
  'force_async',
  'force_blocking',
  'force_cache',
  'lazy_async',
] as const;

const bodySchema = z.object({
  query: z.looseObject({ kind: z.string() }),
  refresh: z.union([z.boolean(), z.enum(REFRESH_VALUES)]).nullish(),
  async: z.boolean().nullish(),
  client_query_id: z.string().min(1).max(200).nullish(),
});

const hogqlQuerySchema = z.looseObject({
  kind: z.literal('HogQLQuery'),
  query: z.string(),
  values: z.record(z.string(), z.unknown()).nullish(),
});

interface QueryStatus {
  complete: boolean;
  dashboard_id: null;
  end_time: Date | null;
  error: boolean;
  error_message: string | null;
  expiration_time: Date | null;
  id: string;
  insight_id: null;
  labels: null;
  pickup_time: Date | null;
  query_async: true;
  query_progress: null;
  results: unknown;
  start_time: Date;
  task_id: string | null;
  team_id: number;
}

interface Running {
  status: QueryStatus;
  controller: AbortController;
  createdAt: number;
}

function drfError(status: number, type: string, code: string, detail: string): ServiceReply {
  return { status, body: { type, code, detail, attr: null } };
}

const invalidInput = (detail: string) => drfError(400, 'validation_error', 'invalid_input', detail);
const parseError = (detail: string) => drfError(400, 'validation_error', 'parse_error', detail);

/** orjson (DRF responses): microseconds when present, "Z" for UTC. */
function isoMicros(date: Date): string {
  const ms = date.getUTCMilliseconds();
  return date.toISOString().replace(/\.\d{3}Z$/, ms ? `.${String(ms).padStart(3, '0')}000Z` : 'Z');
}

/** DjangoJSONEncoder (the polling endpoint): milliseconds when present, "Z" for UTC. */
function isoMillis(date: Date): string {
  return date.getUTCMilliseconds() ? date.toISOString() : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function serializeStatus(status: QueryStatus, format: (d: Date) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) out[key] = value instanceof Date ? format(value) : value;
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class HogQLQueryService {
  private readonly queries = new Map<string, Running>();
  private readonly teamId: number;
  private readonly timezone: string;
  private readonly clock: () => Date;
  private readonly ttlMs: number;

  constructor(private readonly options: HogQLServiceOptions) {
    this.teamId = options.teamId ?? 1;
    this.timezone = options.timezone ?? 'UTC';
    this.clock = options.now ?? (() => new Date());
    this.ttlMs = options.statusTtlMs ?? 600_000;
  }

  /** `POST /query/`. */
  async post(body: unknown, context: PostContext = {}): Promise<ServiceReply> {
    const parsed = bodySchema.safeParse(body);
    if (!parsed.success) return parseError(z.prettifyError(parsed.error));
    const { query, refresh, client_query_id: clientQueryId } = parsed.data;
    if (query.kind !== 'HogQLQuery') {
      return invalidInput(`Query kind '${query.kind}' is not supported by the emulator's query endpoint (only HogQLQuery)`);
    }
    const hogql = hogqlQuerySchema.safeParse(query);
    if (!hogql.success) return parseError(z.prettifyError(hogql.error));
    const run = {
      query: hogql.data.query,
      values: hogql.data.values ?? {},
      now: context.now ?? this.clock(),
      timezone: context.timezone ?? this.timezone,
    };
    const isAsync = parsed.data.async === true || (typeof refresh === 'string' && ASYNC_REFRESH.has(refresh));
    if (!isAsync) {
      const controller = new AbortController();
      await sleep(this.delayFor(run.query), controller.signal);
      try {
        return { status: 200, body: this.responseBody(run.query, await this.execute(run, controller.signal), run.timezone) };
      } catch (error) {
        return invalidInput(this.errorMessage(error));
      }
    }
    return this.enqueue(clientQueryId ?? randomUUID().replaceAll('-', ''), run, refresh === 'force_async');
  }

  /** `GET /query/{id}/`. */
  get(id: string): ServiceReply {
    const running = this.lookup(id);
    if (!running) return drfError(404, 'invalid_request', 'not_found', `Query ${id} not found for team ${this.teamId}`);
    const { status } = running;
    const httpStatus = status.error ? (status.error_message ? 400 : 500) : status.complete ? 200 : 202;
    return { status: httpStatus, body: { query_status: serializeStatus(status, isoMillis) } };
  }

  /** `DELETE /query/{id}/`: like PostHog, succeeds whether or not the query exists. */
  cancel(id: string): ServiceReply {
    const running = this.queries.get(id);
    if (running) {
      running.controller.abort();
      this.queries.delete(id);
    }
    return { status: 204 };
  }

  /** Aborts everything in flight (tests and shutdown). */
  close(): void {
    for (const running of this.queries.values()) running.controller.abort();
    this.queries.clear();
  }

  private lookup(id: string): Running | undefined {
    const running = this.queries.get(id);
    if (!running) return undefined;
    const expires = running.status.expiration_time?.getTime() ?? running.createdAt + this.ttlMs;
    if (this.clock().getTime() > expires) {
      this.queries.delete(id);
      return undefined;
    }
    return running;
  }

  private enqueue(
    id: string,
    run: { query: string; values: Record<string, unknown>; now: Date; timezone: string },
    force: boolean,
  ): ServiceReply {
    const existing = this.lookup(id);
    if (existing && !force) return this.statusReply(existing.status);
    if (existing) this.cancel(id);
    const startTime = this.clock();
    const status: QueryStatus = {
      complete: false,
      dashboard_id: null,
      end_time: null,
      error: false,
      error_message: null,
      expiration_time: null,
      id,
      insight_id: null,
      labels: null,
      pickup_time: null,
      query_async: true,
      query_progress: null,
      results: null,
      start_time: startTime,
      task_id: randomUUID(),
      team_id: this.teamId,
    };
    const running: Running = { status, controller: new AbortController(), createdAt: startTime.getTime() };
    this.queries.set(id, running);
    void this.runInBackground(running, run);
    return this.statusReply(status);
  }

  private statusReply(status: QueryStatus): ServiceReply {
    return {
      status: status.complete ? 200 : 202,
      body: { cache_key: `cache_${status.id}`, query_status: serializeStatus(status, isoMicros) },
    };
  }

  private async runInBackground(
    running: Running,
    run: { query: string; values: Record<string, unknown>; now: Date; timezone: string },
  ): Promise<void> {
    const { status, controller } = running;
    status.pickup_time = this.clock();
    await sleep(this.delayFor(run.query), controller.signal);
    if (controller.signal.aborted) return;
    try {
      const result = await this.execute(run, controller.signal);
      if (controller.signal.aborted) return;
      status.results = this.responseBody(run.query, result, run.timezone);
      status.error = false;
    } catch (error) {
      if (controller.signal.aborted) return;
      status.results = null;
      status.error = true;
      status.error_message = this.errorMessage(error);
    }
    status.complete = true;
    status.end_time = this.clock();
    status.expiration_time = new Date(status.end_time.getTime() + this.ttlMs);
  }

  private async execute(
    run: { query: string; values: Record<string, unknown>; now: Date; timezone: string },
    signal: AbortSignal,
  ): Promise<HogQLResult> {
    const engine = await this.options.engine;
    return engine.execute(run.query, { values: run.values, now: run.now, timezone: run.timezone, signal });
  }

  private delayFor(query: string): number {
    const delay = this.options.delayMs;
    return typeof delay === 'function' ? delay(query) : (delay ?? 0);
  }

  private errorMessage(error: unknown): string {
    if (isHogQLError(error)) return error.detail;
    return error instanceof Error ? error.message : String(error);
  }

  /** A CachedHogQLQueryResponse as the blocking endpoint returns it (and as async results carry it). */
  private responseBody(query: string, result: HogQLResult, timezone: string): Record<string, unknown> {
    const lastRefresh = this.clock();
    return {
      cache_key: `cache_${randomUUID().replaceAll('-', '')}`,
      cache_target_age: isoMicros(new Date(lastRefresh.getTime() + 86_400_000)),
      calculation_trigger: null,
      clickhouse: null,
      columns: result.columns,
      error: null,
      explain: null,
      hasMore: result.hasMore,
      hogql: result.hogql,
      is_cached: false,
      last_refresh: isoMicros(lastRefresh),
      limit: result.limit,
      metadata: null,
      modifiers: {},
      next_allowed_client_refresh: isoMicros(new Date(lastRefresh.getTime() + 60_000)),
      offset: result.offset,
      query,
      query_status: null,
      results: result.results,
      timezone,
      timings: [],
      types: result.types,
    };
  }
}
