/**
 * The request pipeline, in Maton's order: faults (the emulator's), API key, rate limit, then either Maton's own
 * `/connections` API or the `/posthog/...` proxy, which picks a connection and hands the PostHog path to the API
 * routes.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleConnections } from './connections.js';
import type { ControlDeps } from './control.js';
import { handleControl } from './control.js';
import type { FaultControls, FaultKind } from './faults.js';
import type { Reply } from './http.js';
import { ReplyError, gatewayReplies, methodNotAllowed, notFound, parseError, readBody, sendReply, serverError } from './http.js';
import type { Connection } from './model.js';
import type { QueryEngine } from './query-engine.js';
import type { RateLimiter } from './rate-limit.js';
import type { ApiRoutes } from './resources/context.js';
import type { EmulatorState } from './state.js';

export interface RecordedRequest {
  at: Date;
  method: string;
  /** Path as received, e.g. `/posthog/api/projects/1001/feature_flags/`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` (and cookies) removed. */
  headers: Record<string, string>;
  /** Parsed JSON when it parses, else the raw text; undefined when empty. */
  body: unknown;
  /** The connection the request was routed through (after default selection), if any. */
  connectionId: string | null;
  status: number | null;
  /** The injected fault that decided the request, if any. */
  fault: FaultKind | null;
}

export interface GatewayDeps {
  apiKey: string;
  state: EmulatorState;
  faults: FaultControls;
  limiter: RateLimiter;
  api: ApiRoutes;
  queryEngine: QueryEngine | undefined;
  requests: RecordedRequest[];
  /** Kept so `close()` can drop them; a hung response is never answered. */
  hung: Set<ServerResponse>;
  control: ControlDeps;
}

const REQUEST_LOG_LIMIT = 2000;

export function createHandler(deps: GatewayDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      console.error('[emulator] unexpected error:', error instanceof Error ? error.message : error);
      sendReply(res, serverError());
    });
  };
}

async function handle(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof ReplyError) return sendReply(res, error.reply);
    throw error;
  }

  if (url.pathname.startsWith('/_emulator/')) {
    return sendReply(res, handleControl(method, url.pathname, url.searchParams, raw, deps.control));
  }

  const record = recordRequest(deps, req, url, method, raw);
  const outcome = deps.faults.take(method, url.pathname);
  if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  if (outcome.action && outcome.fault) {
    record.fault = outcome.fault.kind;
    switch (outcome.action.kind) {
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        deps.hung.add(res);
        res.on('close', () => deps.hung.delete(res));
        return;
      case 'reply':
        record.status = outcome.action.reply.status;
        return sendReply(res, outcome.action.reply);
    }
  }

  const reply = await route(deps, req.headers, url, method, raw, record);
  record.status = reply.status;
  sendReply(res, reply);
}

async function route(
  deps: GatewayDeps,
  headers: IncomingHttpHeaders,
  url: URL,
  method: string,
  raw: string,
  record: RecordedRequest,
): Promise<Reply> {
  const key = bearer(headers.authorization);
  if (key === null || key !== deps.apiKey) return gatewayReplies.invalidKey();
  const rate = deps.limiter.check(key);
  if (!rate.allowed) return gatewayReplies.rateLimited(rate.retryAfterSeconds);

  const path = url.pathname;
  if (path === '/connections' || path.startsWith('/connections/')) {
    return handleConnections(method, path, url.searchParams, raw, deps.state);
  }
  if (path === '/posthog' || path.startsWith('/posthog/')) {
    const selected = selectConnection(deps.state, headerValue(headers['maton-connection']));
    if ('reply' in selected) return selected.reply;
    record.connectionId = selected.connection.connection_id;
    if (selected.connection.grantExpired) return gatewayReplies.grantExpired();
    return proxy(deps, selected.connection, path.slice('/posthog'.length) || '/', url.searchParams, method, raw);
  }
  return gatewayReplies.notFound(`No route for ${method} ${path}`);
}

function selectConnection(state: EmulatorState, requested: string | undefined): { connection: Connection } | { reply: Reply } {
  if (requested === undefined || requested.trim() === '') {
    const fallback = state.defaultConnection();
    return fallback ? { connection: fallback } : { reply: gatewayReplies.noConnection() };
  }
  const connection = state.connection(requested.trim());
  if (!connection) return { reply: gatewayReplies.noConnection(`Connection ${requested.trim()} not found`) };
  if (connection.status !== 'ACTIVE') {
    return { reply: gatewayReplies.noConnection(`Connection ${connection.connection_id} is not active (${connection.status})`) };
  }
  return { connection };
}

async function proxy(
  deps: GatewayDeps,
  connection: Connection,
  path: string,
  query: URLSearchParams,
  method: string,
  raw: string,
): Promise<Reply> {
  const account = deps.state.accountOf(connection.connection_id);
  if (!account) return gatewayReplies.noConnection(`Connection ${connection.connection_id} has no PostHog account`);
  const match = deps.api.router.match(method, path);
  if (match.kind === 'none') return notFound();
  if (match.kind === 'method_not_allowed') return methodNotAllowed(method);
  let body: unknown;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      return parseError();
    }
  }
  try {
    return await match.handler({
      method,
      path,
      query,
      body,
      params: match.params,
      state: deps.state,
      connection,
      account,
      now: deps.state.now(),
      queryEngine: deps.queryEngine,
    });
  } catch (error) {
    if (error instanceof ReplyError) return error.reply;
    throw error;
  }
}

function recordRequest(deps: GatewayDeps, req: IncomingMessage, url: URL, method: string, raw: string): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  let body: unknown;
  if (raw !== '') {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      body = raw;
    }
  }
  const record: RecordedRequest = {
    at: deps.state.now(),
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    connectionId: null,
    status: null,
    fault: null,
  };
  deps.requests.push(record);
  if (deps.requests.length > REQUEST_LOG_LIMIT) deps.requests.splice(0, deps.requests.length - REQUEST_LOG_LIMIT);
  return record;
}

function bearer(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() ?? null;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
