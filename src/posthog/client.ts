/**
 * The bot's only way to PostHog: every call goes through the Maton gateway (`{baseUrl}/posthog{path}`) with the
 * workspace's connection, and Maton's own `/connections` API manages those connections.
 *
 * @example
 * const gateway = createGateway({ baseUrl: config.matonBaseUrl, apiKey: config.matonApiKey });
 * const ph = gateway.posthog(workspace.connectionId);
 * const me = await ph.request('GET', '/api/users/@me/', userSchema);
 * const flags = await ph.listPage(path`/api/projects/${pid}/feature_flags/`, flagSchema, { limit: 20 });
 */
import { z } from 'zod';
import type { HttpMethod } from './errors.js';
import { encodeSegment } from './path.js';
import type { MatonConnection } from './schemas.js';
import { hasNextListOf, listOf, matonConnectionEnvelopeSchema, matonConnectionListSchema } from './schemas.js';
import type { Query, RequestInfo, TransportOptions } from './transport.js';
import { send } from './transport.js';

export type { HttpMethod } from './errors.js';
export type { Query, QueryValue, RequestInfo } from './transport.js';

export interface GatewayOptions {
  /** e.g. `https://api.maton.ai`; PostHog calls go to `{baseUrl}/posthog/...`. */
  baseUrl: string;
  /** Where `/connections` lives, when it is not `baseUrl` (older Maton docs used `https://ctrl.maton.ai`). */
  connectionsBaseUrl?: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Per attempt, including reading the body. Default 15000. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests after 429, 5xx, timeout or network errors. Default 3. */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** A longer `Retry-After` is not waited for: the error is thrown at once with `retryAfterSeconds`. Default 10. */
  maxRetryAfterSeconds?: number;
  onRequest?: (info: RequestInfo) => void;
  /** Waits for each request's turn in the shared Maton budget; its timeout starts after (see transport.ts). */
  acquire?: () => Promise<void>;
  /** Takes a concurrent-query slot for a project (src/budget/query-slots.ts); resolves with its release. */
  querySlot?: (connectionId: string | null, projectId: number | string) => Promise<() => Promise<void>>;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Allows retries. Default: true for GET/PUT/DELETE, false for POST/PATCH (pass true for a read-only query POST). */
  idempotent?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PageOptions {
  limit: number;
  offset?: number;
  query?: Query;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Page<T> {
  results: T[];
  count: number | null;
  /** Offset of the next page, or null on the last page (or when `next` carries no offset, e.g. cursor paging). */
  nextOffset: number | null;
}

export interface CollectOptions extends Omit<PageOptions, 'limit'> {
  /** Stop after this many items. */
  maxItems: number;
  /** Default 100 (PostHog's usual page size). */
  pageSize?: number;
  /** `list` (default): `{count, next, results}`. `has_next`: `{results, has_next}` (session recordings). */
  pagination?: 'list' | 'has_next';
}

export interface Collected<T> {
  items: T[];
  /** PostHog's total, when the list reports one. */
  count: number | null;
  /** True when more items exist beyond `maxItems`; `nextOffset` then says where to resume. */
  truncated: boolean;
  nextOffset: number | null;
}

export interface PostHogClient {
  readonly connectionId: string | null;
  /** `path` is PostHog's own (`/api/...`), already encoded (see path``); no query string (use `opts.query`). */
  request<T>(method: HttpMethod, path: string, schema: z.ZodType<T>, opts?: RequestOptions): Promise<T>;
  /** One page of a `{count, next, results}` list. */
  listPage<T>(path: string, item: z.ZodType<T>, opts: PageOptions): Promise<Page<T>>;
  /** One page of a `{results, has_next}` list; `count` is always null. */
  hasNextPage<T>(path: string, item: z.ZodType<T>, opts: PageOptions): Promise<Omit<Page<T>, 'count'>>;
  /** Walks pages of either kind until `maxItems` or the end. */
  collect<T>(path: string, item: z.ZodType<T>, opts: CollectOptions): Promise<Collected<T>>;
  /** Waits for a turn to run a query on the project (PostHog's concurrency per project); call the result when done. */
  querySlot?(projectId: number | string): Promise<() => Promise<void>>;
}

export interface MatonConnections {
  /** PostHog connections only (`app=posthog`), optionally filtered by status (`ACTIVE`, `PENDING`, `FAILED`). */
  list(opts?: { status?: string }): Promise<MatonConnection[]>;
  /** A PENDING connection; the user finishes OAuth at its `url`. Not retried (each call makes a connection). */
  create(): Promise<MatonConnection>;
  get(id: string): Promise<MatonConnection>;
  delete(id: string): Promise<void>;
}

export interface Gateway {
  /** `connectionId` null: no Maton-Connection header, Maton picks the account's default PostHog connection. */
  posthog(connectionId: string | null): PostHogClient;
  connections: MatonConnections;
}

export function createGateway(opts: GatewayOptions): Gateway {
  if (opts.apiKey.trim() === '') throw new TypeError('Maton API key is empty');
  const transport: TransportOptions = {
    apiKey: opts.apiKey,
    fetch: opts.fetch ?? globalThis.fetch,
    timeoutMs: opts.timeoutMs ?? 15_000,
    maxRetries: opts.maxRetries ?? 3,
    maxRetryAfterSeconds: opts.maxRetryAfterSeconds ?? 10,
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: opts.random ?? Math.random,
    ...(opts.onRequest && { onRequest: opts.onRequest }),
    ...(opts.acquire && { acquire: opts.acquire }),
  };
  const proxyRoot = `${trimSlash(opts.baseUrl)}/posthog`;
  const connectionsRoot = trimSlash(opts.connectionsBaseUrl ?? opts.baseUrl);
  return {
    posthog: (connectionId) => createPostHogClient(transport, proxyRoot, connectionId, opts.querySlot),
    connections: createConnections(transport, connectionsRoot),
  };
}

function createPostHogClient(
  transport: TransportOptions,
  root: string,
  connectionId: string | null,
  querySlot: GatewayOptions['querySlot'],
): PostHogClient {
  const request = <T>(method: HttpMethod, path: string, schema: z.ZodType<T>, o: RequestOptions = {}) =>
    send(transport, { root, origin: 'proxy', method, path, schema, connectionId, ...o });

  const pageRequest = <T>(path: string, schema: z.ZodType<T>, o: PageOptions) => {
    const { limit, offset, query, ...rest } = o;
    const pageQuery = { ...query, limit, ...(offset !== undefined && { offset }) };
    return request('GET', path, schema, { ...rest, query: pageQuery });
  };

  const client: PostHogClient = {
    connectionId,
    request,
    async listPage(path, item, o) {
      const page = await pageRequest(path, listOf(item), o);
      return { results: page.results, count: page.count ?? null, nextOffset: offsetOf(page.next) };
    },
    async hasNextPage(path, item, o) {
      const page = await pageRequest(path, hasNextListOf(item), o);
      const more = page.has_next && page.results.length > 0;
      return { results: page.results, nextOffset: more ? (o.offset ?? 0) + page.results.length : null };
    },
    collect: (path, item, o) => collectPages(client, path, item, o),
    ...(querySlot && { querySlot: (projectId: number | string) => querySlot(connectionId, projectId) }),
  };
  return client;
}

async function collectPages<T>(client: PostHogClient, path: string, item: z.ZodType<T>, o: CollectOptions) {
  const { maxItems, pageSize = 100, pagination = 'list', ...pageOpts } = o;
  const start = o.offset ?? 0;
  const items: T[] = [];
  let count: number | null = null;
  let offset = start;
  const done = (truncated: boolean, nextOffset: number | null): Collected<T> => {
    // A server that ignored `limit` can overshoot; resume right after the last item kept.
    const over = items.length > maxItems;
    const resumeAt = over ? start + maxItems : nextOffset;
    return { items: items.slice(0, maxItems), count, truncated: truncated || over, nextOffset: resumeAt };
  };
  while (items.length < maxItems) {
    const limit = Math.min(pageSize, maxItems - items.length);
    const page =
      pagination === 'has_next'
        ? { count: null, ...(await client.hasNextPage(path, item, { ...pageOpts, limit, offset })) }
        : await client.listPage(path, item, { ...pageOpts, limit, offset });
    items.push(...page.results);
    count = page.count ?? count;
    // A next offset that does not move forward would loop forever; treat it as the end.
    if (page.nextOffset === null || page.nextOffset <= offset) return done(false, null);
    offset = page.nextOffset;
  }
  return done(true, offset);
}

function createConnections(transport: TransportOptions, root: string): MatonConnections {
  const call = <T>(method: HttpMethod, path: string, schema: z.ZodType<T>, o: RequestOptions = {}) =>
    send(transport, { root, origin: 'connections', method, path, schema, connectionId: null, ...o });
  return {
    async list(o = {}) {
      const query = { app: 'posthog', status: o.status };
      return (await call('GET', '/connections', matonConnectionListSchema, { query })).connections;
    },
    async create() {
      const body = { app: 'posthog' };
      return (await call('POST', '/connections', matonConnectionEnvelopeSchema, { body })).connection;
    },
    async get(id) {
      return (await call('GET', `/connections/${encodeSegment(id)}`, matonConnectionEnvelopeSchema)).connection;
    },
    async delete(id) {
      await call('DELETE', `/connections/${encodeSegment(id)}`, z.unknown());
    },
  };
}

/** Reads `offset` from PostHog's `next` URL. Its host is never contacted: the next page goes through Maton too. */
export function offsetOf(next: string | null | undefined): number | null {
  if (!next) return null;
  let raw: string | null;
  try {
    raw = new URL(next, 'http://relative.invalid').searchParams.get('offset');
  } catch {
    return null;
  }
  if (raw === null || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
