/**
 * The one error the PostHog/Maton client throws for anything that went wrong upstream. Commands never parse
 * messages: they switch on `kind`, and `describeUpstreamError` (translate.ts) turns it into user text.
 */

/** Errors raised by the Maton gateway itself (no drf `type` in the body). */
export type GatewayErrorKind =
  | 'gateway_no_connection' // 400: no (or unknown) PostHog connection for this key / Maton-Connection header
  | 'gateway_bad_key' // 401: the Maton API key is missing or invalid
  | 'gateway_rate_limited' // 429: Maton's own limit (10 requests/s per account)
  | 'gateway_grant_expired' // 500: usually the OAuth grant behind the connection expired
  | 'gateway_other'; // any other failure of Maton's own /connections API

/** Errors PostHog returned through the gateway (drf-exceptions-hog body `{type, code, detail, attr}`). */
export type PostHogErrorKind =
  | 'posthog_validation' // 400
  | 'posthog_auth' // 401
  | 'posthog_permission' // 403
  | 'posthog_not_found' // 404
  | 'posthog_method_not_allowed' // 405 (e.g. DELETE on soft-delete resources)
  | 'posthog_throttled' // 429
  | 'posthog_server' // 5xx
  | 'posthog_approval_pending' // 409 approval_required / change_request_pending: an approval policy holds the change
  | 'posthog_other'; // any other 4xx

/** The request never produced a usable answer. */
export type TransportErrorKind =
  | 'timeout'
  | 'network' // refused, reset, DNS
  // Body not JSON, unexpected status, or the zod schema rejected it (detail = issue paths, never the body).
  | 'malformed';

export type UpstreamErrorKind = GatewayErrorKind | PostHogErrorKind | TransportErrorKind;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface UpstreamErrorInit {
  kind: UpstreamErrorKind;
  /** HTTP status, absent for timeout/network. */
  status?: number;
  method: HttpMethod;
  /** The PostHog (or `/connections...`) path, never with a query string or host. */
  path: string;
  /** Human-readable reason from the body (already redacted and truncated by the client). */
  detail?: string;
  /** drf `attr`: the offending field of a validation error. */
  attr?: string;
  /** drf `code` (e.g. `invalid_input`, `permission_denied`) or a gateway error code, or an errno for network errors. */
  code?: string;
  /** From `Retry-After` (or PostHog's "available in N seconds") on 429s. */
  retryAfterSeconds?: number;
  /** `posthog_approval_pending`: the change request PostHog opened (or the one already open). */
  approval?: ApprovalHold;
}

/**
 * An approval policy's hold on a change (posthog/approvals/decorators.py `_result_to_response`): `required` when this
 * request opened the change request, `pending` when one was already open for the same change.
 */
export interface ApprovalHold {
  state: 'required' | 'pending';
  changeRequestId: string;
  /** The policy's approver_config: user ids, role ids and how many must approve. */
  approvers: { users: number[]; roles: string[]; quorum: number | null };
  /** Who asked for the change request, when PostHog says (the existing one's creator). */
  requestedBy: string | null;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError' as const;
  readonly kind: UpstreamErrorKind;
  readonly method: HttpMethod;
  readonly path: string;
  // `declare`: absent fields stay absent (not own `undefined` properties) in logs and JSON.
  declare readonly status?: number;
  declare readonly detail?: string;
  declare readonly attr?: string;
  declare readonly code?: string;
  declare readonly retryAfterSeconds?: number;
  declare readonly approval?: ApprovalHold;

  constructor(init: UpstreamErrorInit, options?: { cause?: unknown }) {
    super(formatMessage(init), options);
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    if (init.status !== undefined) this.status = init.status;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.attr !== undefined) this.attr = init.attr;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.approval !== undefined) this.approval = init.approval;
  }
}

/** Duck-typed so it survives duplicated module instances (tsx + vitest, bundlers). */
export function isUpstreamError(e: unknown): e is UpstreamError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'UpstreamError' &&
    typeof (e as { kind?: unknown }).kind === 'string'
  );
}

/**
 * For logs: `posthog_validation: POST /api/projects/1/query/ -> 400 (invalid_input): detail [attr]`.
 * Never a host, query string or header.
 */
function formatMessage(init: UpstreamErrorInit): string {
  const status = init.status === undefined ? '' : ` -> ${init.status}`;
  const code = init.code ? ` (${init.code})` : '';
  const detail = init.detail ? `: ${init.detail}` : '';
  const attr = init.attr ? ` [${init.attr}]` : '';
  return `${init.kind}: ${init.method} ${init.path}${status}${code}${detail}${attr}`;
}

/**
 * PostHog refused a write that would overwrite an edit made since the client read the object: 409 `conflict` (feature
 * flags, when the write carries `version` + `original_flag`; posthog/api/feature_flag.py `update()`). Nothing was written.
 */
export function isStaleWrite(e: unknown): boolean {
  return isUpstreamError(e) && e.status === 409 && e.code === 'conflict';
}

/** Null instead of PostHog's 404, so "no such id" can fall through to a name search or a clear answer. */
export async function orNullOn404<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (isUpstreamError(error) && error.kind === 'posthog_not_found') return null;
    throw error;
  }
}
