/**
 * Fault injection: make the next N matching requests slow, fail, break or hang, so client retry and error paths can
 * be exercised against a real socket. Driven in-process (`emulator.faults`) or over HTTP (`/_emulator/faults`).
 */
import { z } from 'zod';
import type { Reply } from './http.js';
import { gatewayReplies, notFound, permissionDenied, posthogError, serverError, throttled, validationError } from './http.js';

export const FAULT_KINDS = [
  'latency',
  'status',
  'rate_limit',
  'unauthorized',
  'no_connection',
  'grant_expired',
  'malformed_json',
  'reset',
  'hang',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultSpecSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  /** How many matching requests it applies to (default 1), or 'always' until cleared. */
  times: z.union([z.number().int().positive(), z.literal('always')]).optional(),
  /** Only requests whose path contains this substring (e.g. "/feature_flags/" or "/connections"). */
  path: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  /** `status`: the status to answer (default 500); `malformed_json`: the status of the broken reply (default 200). */
  status: z.number().int().min(100).max(599).optional(),
  /** `status`: a body to send instead of PostHog's default for that status. */
  body: z.unknown().optional(),
  /** `rate_limit` (and `status` 429): the Retry-After header (default 1). */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** `latency`: delay in milliseconds before the request is handled. */
  ms: z.number().int().min(0).max(600_000).optional(),
  /** `rate_limit`: Maton's 429 (default) or PostHog's own throttle body. */
  source: z.enum(['gateway', 'posthog']).optional(),
});
export type FaultSpec = z.input<typeof faultSpecSchema>;

export interface ActiveFault extends FaultSpec {
  id: string;
  remaining: number | 'always';
}

export type FaultAction = { kind: 'reply'; reply: Reply } | { kind: 'reset' } | { kind: 'hang' };

export interface FaultOutcome {
  delayMs: number;
  /** The fault that decides the request's fate, if any (latency alone does not). */
  fault?: ActiveFault;
  action?: FaultAction;
}

export class FaultControls {
  private faults: ActiveFault[] = [];
  private counter = 0;

  /** Adds a fault; throws a ZodError on an invalid spec. */
  inject(spec: FaultSpec): ActiveFault {
    const parsed = faultSpecSchema.parse(spec);
    this.counter += 1;
    const fault: ActiveFault = { ...parsed, id: `fault_${this.counter}`, remaining: parsed.times ?? 1 };
    this.faults.push(fault);
    return { ...fault };
  }

  /** Sugar: every matching request waits `ms` (until cleared, or for `times` requests). */
  latency(ms: number, times: number | 'always' = 'always', path?: string): ActiveFault {
    return this.inject({ kind: 'latency', ms, times, ...(path !== undefined && { path }) });
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Consumes at most one latency fault and one other fault matching this request, oldest first. */
  take(method: string, path: string): FaultOutcome {
    const outcome: FaultOutcome = { delayMs: 0 };
    const latency = this.faults.find((f) => f.kind === 'latency' && matches(f, method, path));
    if (latency) {
      outcome.delayMs = latency.ms ?? 0;
      this.consume(latency);
    }
    const fault = this.faults.find((f) => f.kind !== 'latency' && matches(f, method, path));
    if (fault) {
      this.consume(fault);
      outcome.fault = { ...fault };
      outcome.action = actionFor(fault);
    }
    return outcome;
  }

  private consume(fault: ActiveFault): void {
    if (fault.remaining === 'always') return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
  }
}

function matches(fault: ActiveFault, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  return fault.path === undefined || path.includes(fault.path);
}

function actionFor(fault: ActiveFault): FaultAction {
  const retryAfter = fault.retryAfterSeconds ?? 1;
  switch (fault.kind) {
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'rate_limit':
      return { kind: 'reply', reply: fault.source === 'posthog' ? throttled(retryAfter) : gatewayReplies.rateLimited(retryAfter) };
    case 'unauthorized':
      return { kind: 'reply', reply: gatewayReplies.invalidKey() };
    case 'no_connection':
      return { kind: 'reply', reply: gatewayReplies.noConnection() };
    case 'grant_expired':
      return { kind: 'reply', reply: gatewayReplies.grantExpired() };
    case 'malformed_json':
      return { kind: 'reply', reply: { status: fault.status ?? 200, raw: '{"count": 3, "next": null, "results": [{"id": 1, "na' } };
    case 'status':
    case 'latency':
      return { kind: 'reply', reply: statusReply(fault.status ?? 500, fault.body, retryAfter) };
  }
}

/** PostHog's usual body for a status, as if PostHog itself had failed (passed through by the gateway). */
function statusReply(status: number, body: unknown, retryAfter: number): Reply {
  const headers = status === 429 ? { 'Retry-After': String(retryAfter) } : undefined;
  if (body !== undefined) return headers ? { status, body, headers } : { status, body };
  if (status === 429) return throttled(retryAfter);
  if (status >= 500) return { ...serverError(), status };
  if (status === 404) return notFound();
  if (status === 403) return permissionDenied();
  if (status === 401) return posthogError(401, 'authentication_error', 'authentication_failed', 'Incorrect authentication credentials.');
  if (status === 400) return validationError('Injected validation failure.', null);
  return posthogError(status, 'invalid_request', 'error', `Injected ${status}.`);
}
