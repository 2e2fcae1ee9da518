/**
 * Replies and error bodies. Two error families on purpose: PostHog's drf-exceptions-hog shape `{type, code, detail,
 * attr}` for anything PostHog would say, and a Maton-style `{error: {code, message}}` for the gateway's own errors, so
 * a client can tell them apart exactly as it must in production.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless `raw` is set. */
  body?: unknown;
  /** Sent verbatim (HTML pages, deliberately broken JSON). */
  raw?: string;
  contentType?: string;
}

/** Thrown by handlers to answer with `reply` (validation failures, 404s) without threading results everywhere. */
export class ReplyError extends Error {
  override readonly name = 'ReplyError';
  constructor(readonly reply: Reply) {
    super(`emulator reply ${reply.status}`);
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  headers === undefined ? { status, body } : { status, body, headers };

export const noContent = (): Reply => ({ status: 204 });

export function posthogError(
  status: number,
  type: string,
  code: string,
  detail: string,
  attr: string | null = null,
  headers?: Record<string, string>,
): Reply {
  return json(status, { type, code, detail, attr }, headers);
}

export const notFound = (): Reply => posthogError(404, 'invalid_request', 'not_found', 'Not found.');

export const validationError = (detail: string, attr: string | null, code = 'invalid_input'): Reply =>
  posthogError(400, 'validation_error', code, detail, attr);

export const permissionDenied = (detail = 'You do not have permission to perform this action.'): Reply =>
  posthogError(403, 'authentication_error', 'permission_denied', detail);

export const methodNotAllowed = (method: string): Reply =>
  posthogError(405, 'invalid_request', 'method_not_allowed', `Method "${method}" not allowed.`);

/**
 * Real PostHog answers a bare 405 with no body (ForbidDestroyModel); we add its documented advice as a drf body so a
 * human reading the emulator's answer learns the fix. Clients must cope with either.
 */
export const softDeleteOnly = (): Reply =>
  posthogError(
    405,
    'invalid_request',
    'method_not_allowed',
    'Hard delete of this model is not allowed. Use a patch API call to set "deleted" to true',
  );

export const serverError = (): Reply => posthogError(500, 'server_error', 'error', 'A server error occurred.');

export const parseError = (): Reply =>
  posthogError(400, 'invalid_request', 'parse_error', 'JSON parse error - Expecting value: line 1 column 1 (char 0)');

export const throttled = (seconds: number): Reply =>
  posthogError(429, 'throttled_error', 'throttled', `Request was throttled. Expected available in ${seconds} seconds.`, null, {
    'Retry-After': String(seconds),
  });

export function gatewayError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return json(status, { error: { code, message } }, headers);
}

export const html = (status: number, page: string): Reply => ({ status, raw: page, contentType: 'text/html; charset=utf-8' });

const BODY_LIMIT = 5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > BODY_LIMIT) throw new ReplyError(posthogError(413, 'invalid_request', 'payload_too_large', 'Request body too large.'));
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.raw !== undefined) {
    payload = reply.raw;
    headers['Content-Type'] = reply.contentType ?? 'application/json';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = reply.contentType ?? 'application/json';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** PostHog's timestamp format: microseconds and a `Z` ("2026-02-22T23:00:46.389000Z"). */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

// Maton gateway replies. Maton's real error body is undocumented; these avoid drf's `type` so clients classify them
// as gateway errors.
export const gatewayReplies = {
  invalidKey: (): Reply => gatewayError(401, 'UNAUTHORIZED', 'Invalid API key'),
  noConnection: (message = 'No active connection found for app posthog'): Reply => gatewayError(400, 'NO_CONNECTION', message),
  rateLimited: (seconds: number): Reply =>
    gatewayError(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded. Please retry later.', {
      'Retry-After': String(seconds),
    }),
  grantExpired: (): Reply => gatewayError(500, 'INTERNAL_ERROR', 'Failed to refresh OAuth token for this connection: invalid_grant'),
  notFound: (message = 'Not found'): Reply => gatewayError(404, 'NOT_FOUND', message),
  badRequest: (message: string): Reply => gatewayError(400, 'BAD_REQUEST', message),
};
