/**
 * One HTTP exchange with the Maton gateway, with timeout, retries and response validation. Everything that goes
 * wrong leaves as an UpstreamError, except a caller's own abort, which rethrows the signal's reason.
 */
import type { z } from 'zod';
import type { Origin } from './classify.js';
import { classifyHttpError } from './classify.js';
import type { HttpMethod, UpstreamErrorKind } from './errors.js';
import { UpstreamError } from './errors.js';

export type QueryValue = string | number | boolean | undefined | null;
export type Query = Record<string, QueryValue>;

/** Reported once per attempt, for logs and metrics. Never carries headers, bodies or the query string. */
export interface RequestInfo {
  method: HttpMethod;
  path: string;
  origin: Origin;
  connectionId: string | null;
  /** 1 for the first try. */
  attempt: number;
  status?: number;
  kind?: UpstreamErrorKind;
  ms: number;
}

export interface TransportOptions {
  apiKey: string;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterSeconds: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRequest?: (info: RequestInfo) => void;
  /**
   * Waits for this request's turn in the shared Maton budget. Awaited before each attempt and before its timeout
   * starts: a request queued behind others must not time out unsent.
   */
  acquire?: () => Promise<void>;
}

export interface SendArgs<T> {
  /** Base URL plus the origin's prefix, e.g. `https://api.maton.ai/posthog`. */
  root: string;
  origin: Origin;
  method: HttpMethod;
  path: string;
  schema: z.ZodType<T>;
  connectionId: string | null;
  query?: Query;
  body?: unknown;
  idempotent?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 5_000;
const MAX_ISSUES = 3;

export async function send<T>(opts: TransportOptions, args: SendArgs<T>): Promise<T> {
  const url = buildUrl(args.root, args.path, args.query);
  const idempotent = args.idempotent ?? (args.method === 'GET' || args.method === 'PUT' || args.method === 'DELETE');
  for (let attempt = 1; ; attempt++) {
    if (args.signal?.aborted) throw args.signal.reason;
    await opts.acquire?.();
    if (args.signal?.aborted) throw args.signal.reason;
    const started = performance.now();
    const outcome = await attemptOnce(opts, args, url);
    opts.onRequest?.({
      method: args.method,
      path: args.path,
      origin: args.origin,
      connectionId: args.connectionId,
      attempt,
      ...(outcome.status !== undefined && { status: outcome.status }),
      ...('error' in outcome && { kind: outcome.error.kind }),
      ms: Math.round(performance.now() - started),
    });
    if (!('error' in outcome)) return outcome.value;

    const error = outcome.error;
    const wait = error.retryAfterSeconds;
    if (wait !== undefined && wait > opts.maxRetryAfterSeconds) throw error;
    if (!idempotent || attempt > opts.maxRetries || !isRetryable(error)) throw error;
    await opts.sleep(wait !== undefined ? wait * 1000 : backoffMs(attempt, opts.random));
  }
}

/** Full jitter: uniform in [0, min(cap, base * 2^(retry-1))). */
export function backoffMs(retry: number, random: () => number): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1)));
}

function isRetryable(error: UpstreamError): boolean {
  if (error.kind === 'timeout' || error.kind === 'network') return true;
  return error.status !== undefined && (error.status === 429 || error.status >= 500) && error.kind !== 'malformed';
}

type Outcome<T> = { value: T; status: number } | { error: UpstreamError; status?: number };

async function attemptOnce<T>(opts: TransportOptions, args: SendArgs<T>, url: URL): Promise<Outcome<T>> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), args.timeoutMs ?? opts.timeoutMs);
  const signal = args.signal ? AbortSignal.any([timeout.signal, args.signal]) : timeout.signal;
  const where = { method: args.method, path: args.path };
  let status: number | undefined;
  try {
    const res = await opts.fetch(url, {
      method: args.method,
      headers: headers(opts.apiKey, args.connectionId, args.body !== undefined),
      ...(args.body !== undefined && { body: JSON.stringify(args.body) }),
      signal,
      // Never carry the bearer key to wherever a redirect points.
      redirect: 'manual',
    });
    status = res.status;
    const text = await res.text();
    if (status < 200 || status > 299) {
      const redact = (s: string) => redactSecret(s, opts.apiKey);
      const ctx = { ...where, origin: args.origin, redact };
      const failure = { status, bodyText: text, retryAfterHeader: res.headers.get('retry-after'), nowMs: Date.now() };
      return { error: classifyHttpError(ctx, failure), status };
    }
    return { ...validate(args.schema, text, where, status), status };
  } catch (e) {
    if (args.signal?.aborted) throw args.signal.reason;
    const kind = timeout.signal.aborted ? 'timeout' : 'network';
    const code = kind === 'network' ? errorCode(e) : undefined;
    return {
      error: new UpstreamError({ kind, ...where, ...(code && { code }) }, { cause: e }),
      ...(status !== undefined && { status }),
    };
  } finally {
    clearTimeout(timer);
  }
}

function validate<T>(schema: z.ZodType<T>, text: string, where: { method: HttpMethod; path: string }, status: number) {
  let json: unknown;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      return { error: new UpstreamError({ kind: 'malformed', status, ...where, detail: 'response body is not JSON' }) };
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { value: parsed.data };
  return { error: new UpstreamError({ kind: 'malformed', status, ...where, detail: summarizeIssues(parsed.error) }) };
}

/** Where and what, never the offending values: `results.0.id: Invalid input: expected number, received string`. */
export function summarizeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return `response did not match the expected shape: ${shown.join('; ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

function buildUrl(root: string, path: string, query: Query | undefined): URL {
  if (!path.startsWith('/') || /[?#]/.test(path)) {
    throw new TypeError(`path must start with "/" and carry no query or fragment (use opts.query): ${path}`);
  }
  const url = new URL(root + path);
  // A `..` (or %2E%2E) that slipped past path`` would otherwise climb out of the /posthog prefix.
  const prefix = new URL(root).pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${prefix}/`)) throw new TypeError(`path escapes its prefix: ${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.append(key, String(value));
  }
  return url;
}

function headers(apiKey: string, connectionId: string | null, hasBody: boolean): Record<string, string> {
  return {
    Authorization: `Bearer ${apiKey}`,
    Accept: 'application/json',
    ...(connectionId !== null && { 'Maton-Connection': connectionId }),
    ...(hasBody && { 'Content-Type': 'application/json' }),
  };
}

function redactSecret(text: string, secret: string): string {
  const scrubbed = text.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
  return secret.length >= 4 ? scrubbed.replaceAll(secret, '[redacted]') : scrubbed;
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`, `ENOTFOUND`... from undici's `cause`; the message may hold host:port. */
function errorCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const own = (e as { code?: unknown } | undefined)?.code;
  return typeof own === 'string' ? own : undefined;
}
