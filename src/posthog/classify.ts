/**
 * Pure mapping from an HTTP failure to an UpstreamError. The gateway/PostHog split rests on one fact: PostHog's
 * errors carry a drf-exceptions-hog `type`; Maton's own (400/401/429/500) do not and have no documented shape.
 */
import type { ApprovalHold, HttpMethod, UpstreamErrorKind } from './errors.js';
import { UpstreamError } from './errors.js';

/** `proxy`: `/posthog/...` calls, where PostHog errors pass through. `connections`: Maton's own API. */
export type Origin = 'proxy' | 'connections';

export interface RequestContext {
  method: HttpMethod;
  path: string;
  origin: Origin;
  /** Strips secrets from any text copied out of a body. */
  redact: (text: string) => string;
}

export interface HttpFailure {
  status: number;
  bodyText: string;
  retryAfterHeader: string | null;
  nowMs: number;
}

const DETAIL_MAX = 300;
const DRF_TYPES = new Set([
  'validation_error',
  'authentication_error',
  'throttled_error',
  'invalid_request',
  'server_error',
  'multiple_exceptions',
]);

export function classifyHttpError(ctx: RequestContext, res: HttpFailure): UpstreamError {
  const body = parseJson(res.bodyText);
  const approval = ctx.origin === 'proxy' && res.status === 409 ? approvalHold(body) : null;
  if (approval) {
    const message = isRecord(body) ? (textOf(body.message) ?? textOf(body.error)) : undefined;
    return new UpstreamError({
      kind: 'posthog_approval_pending',
      status: res.status,
      method: ctx.method,
      path: ctx.path,
      code: approval.state === 'required' ? 'approval_required' : 'change_request_pending',
      ...(message !== undefined && { detail: clip(ctx.redact(message)) }),
      approval,
    });
  }
  const fromPostHog = ctx.origin === 'proxy' && isPostHogBody(body);
  const kind = pickKind(res.status, ctx.origin, fromPostHog);
  const fields = fromPostHog ? drfFields(body as Record<string, unknown>) : gatewayFields(body, res.bodyText);
  const detail = fields.detail === undefined ? undefined : clip(ctx.redact(fields.detail));
  const retryAfterSeconds =
    res.status === 429 ? (parseRetryAfter(res.retryAfterHeader, res.nowMs) ?? secondsFromDetail(detail)) : undefined;
  return new UpstreamError({
    kind,
    status: res.status,
    method: ctx.method,
    path: ctx.path,
    ...(detail !== undefined && { detail }),
    ...(fields.attr !== undefined && { attr: clip(ctx.redact(fields.attr)) }),
    ...(fields.code !== undefined && { code: clip(ctx.redact(fields.code)) }),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}

function pickKind(status: number, origin: Origin, fromPostHog: boolean): UpstreamErrorKind {
  if (status < 400 || status > 599) return 'malformed';
  if (origin === 'connections') {
    if (status === 400 || status === 404) return 'gateway_no_connection';
    if (status === 401) return 'gateway_bad_key';
    if (status === 429) return 'gateway_rate_limited';
    return 'gateway_other';
  }
  if (!fromPostHog) {
    if (status === 400) return 'gateway_no_connection';
    if (status === 401) return 'gateway_bad_key';
    if (status === 429) return 'gateway_rate_limited';
    if (status === 500) return 'gateway_grant_expired';
  }
  if (status >= 500) return 'posthog_server';
  switch (status) {
    case 400:
      return 'posthog_validation';
    case 401:
      return 'posthog_auth';
    case 403:
      return 'posthog_permission';
    case 404:
      return 'posthog_not_found';
    case 405:
      return 'posthog_method_not_allowed';
    case 429:
      return 'posthog_throttled';
    default:
      return 'posthog_other';
  }
}

/**
 * PostHog's approval gate bodies (posthog/approvals/decorators.py `_result_to_response`): 409 with
 * `code: "approval_required"` (change_request_id, change_request, required_approvers) or `"change_request_pending"`
 * (change_request_id, existing_change_request). They carry no drf `type`.
 */
function approvalHold(body: unknown): ApprovalHold | null {
  if (!isRecord(body) || (body.code !== 'approval_required' && body.code !== 'change_request_pending')) return null;
  const request = isRecord(body.change_request)
    ? body.change_request
    : isRecord(body.existing_change_request)
      ? body.existing_change_request
      : {};
  const id = textOf(body.change_request_id) ?? textOf(request.id);
  if (id === undefined) return null;
  const config =
    isRecord(body.required_approvers) && Object.keys(body.required_approvers).length > 0
      ? body.required_approvers
      : isRecord(request.policy_snapshot)
        ? request.policy_snapshot
        : {};
  const creator = isRecord(request.created_by) ? request.created_by : {};
  return {
    state: body.code === 'approval_required' ? 'required' : 'pending',
    changeRequestId: id.slice(0, 100),
    approvers: {
      users: Array.isArray(config.users) ? config.users.filter((u): u is number => typeof u === 'number') : [],
      roles: Array.isArray(config.roles) ? config.roles.filter((r): r is string => typeof r === 'string') : [],
      quorum: typeof config.quorum === 'number' ? config.quorum : null,
    },
    requestedBy: textOf(creator.email) ?? textOf(creator.first_name) ?? null,
  };
}

/** drf `type`, or the async query API's failure shape (`error_message`, `query_status`), which has no `type`. */
function isPostHogBody(body: unknown): boolean {
  if (!isRecord(body)) return false;
  if (typeof body.type === 'string' && (DRF_TYPES.has(body.type) || 'detail' in body || 'code' in body)) return true;
  return typeof body.error_message === 'string' || isRecord(body.query_status);
}

interface Fields {
  detail?: string;
  attr?: string;
  code?: string;
}

function drfFields(body: Record<string, unknown>): Fields {
  const queryStatus = isRecord(body.query_status) ? body.query_status : {};
  const detail = textOf(body.detail) ?? textOf(body.error_message) ?? textOf(queryStatus.error_message) ?? jsonOf(body.detail);
  return {
    ...(detail !== undefined && { detail }),
    ...(typeof body.attr === 'string' && { attr: body.attr }),
    ...(typeof body.code === 'string' && { code: body.code }),
  };
}

/** Maton's bodies are undocumented: `{error: string | {message, code}}`, `{message}`, `{detail}`, or text. */
function gatewayFields(body: unknown, text: string): Fields {
  if (isRecord(body)) {
    const error = body.error;
    const nested = isRecord(error) ? error : {};
    // The approval gate's deny (viewset path) is `{error, reason}`: the reason is what the user needs.
    const reason = textOf(body.reason);
    const said = textOf(error) ?? textOf(nested.message) ?? textOf(body.message) ?? textOf(body.detail);
    const detail = said !== undefined && reason !== undefined ? `${said}: ${reason}` : (said ?? reason);
    const code = textOf(nested.code) ?? textOf(body.code);
    return { ...(detail !== undefined && { detail }), ...(code !== undefined && { code }) };
  }
  const trimmed = text.trim();
  // An HTML error page says nothing useful and may be large.
  if (body !== undefined || trimmed === '' || trimmed.startsWith('<')) return {};
  return { detail: trimmed };
}

/**
 * Seconds from a `Retry-After` header: delta-seconds or an HTTP date. Undefined when absent or unreadable.
 * Rounded up so "0.5" never becomes a zero wait.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** PostHog's throttle detail: "Request was throttled. Expected available in 59 seconds." */
function secondsFromDetail(detail: string | undefined): number | undefined {
  const match = detail?.match(/available in (\d+) seconds?/i);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  return typeof value === 'number' ? String(value) : undefined;
}

/** drf can put a list or dict in `detail`; better its JSON than nothing. */
function jsonOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : undefined;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= DETAIL_MAX ? flat : `${flat.slice(0, DETAIL_MAX - 1)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
