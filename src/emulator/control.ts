/**
 * `/_emulator/...`: the emulator's own endpoints, outside the gateway (no API key, no faults, not recorded).
 * The OAuth authorize page a PENDING connection's `url` points at, fault injection, reset, the request log.
 */
import { ZodError, z } from 'zod';
import type { FaultControls, FaultSpec } from './faults.js';
import { changeRequestsOf, setApprovalPolicy } from './resources/approvals.js';
import { queueColleagueEdit } from './resources/flags.js';
import { addMember, addRole } from './resources/members.js';
import { faultSpecSchema } from './faults.js';
import type { Reply } from './http.js';
import { gatewayReplies, html, json } from './http.js';
import type { RecordedRequest } from './gateway.js';
import { Router } from './router.js';
import type { EmulatorState } from './state.js';

export interface ControlDeps {
  state: EmulatorState;
  faults: FaultControls;
  requests: RecordedRequest[];
  /** Clears rate-limit windows as well as data. */
  reset(): void;
}

interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  deps: ControlDeps;
}

type Handler = (req: ControlRequest) => Reply;

const faultsBody = z.union([faultSpecSchema, z.array(faultSpecSchema), z.strictObject({ faults: z.array(faultSpecSchema) })]);
const grantBody = z.strictObject({ expired: z.boolean() });
/** A project's approval policy (see resources/approvals.ts); every field optional. */
const approvalPolicyBody = z.strictObject({
  mode: z.enum(['require_approval', 'deny']).default('require_approval'),
  actions: z
    .array(z.enum(['feature_flag.enable', 'feature_flag.disable', 'feature_flag.update']))
    .default(['feature_flag.enable', 'feature_flag.disable', 'feature_flag.update']),
  flag_ids: z.array(z.number().int()).nullable().default(null),
  approvers: z
    .strictObject({
      users: z.array(z.number().int()).default([]),
      roles: z.array(z.string()).default([]),
      quorum: z.number().int().min(1).default(1),
    })
    .default({ users: [], roles: [], quorum: 1 }),
  reason: z.string().default('Changes to this flag are not allowed'),
});

/** An organization member (resources/members.ts); `id` is the PostHog user id approval policies name. */
const memberBody = z.strictObject({
  id: z.number().int(),
  first_name: z.string().default(''),
  last_name: z.string().default(''),
  email: z.string(),
  level: z.union([z.literal(1), z.literal(8), z.literal(15)]).optional(),
});
const roleBody = z.strictObject({ id: z.string().optional(), name: z.string().min(1) });
/** A colleague's edit to land just before the flag's next write (resources/flags.ts `queueColleagueEdit`). */
const colleagueEditBody = z.strictObject({
  filters: z.record(z.string(), z.unknown()).optional(),
  name: z.string().optional(),
  active: z.boolean().optional(),
  by: z.string().default('colleague@acme.example'),
});

const router = new Router<Handler>()
  .add('GET', '/_emulator/authorize', authorize)
  .add('GET', '/_emulator/health', () => json(200, { ok: true }))
  .add('GET', '/_emulator/faults', ({ deps }) => json(200, { faults: deps.faults.list() }))
  .add('POST', '/_emulator/faults', ({ body, deps }) => {
    const parsed = faultsBody.parse(body);
    const specs: FaultSpec[] = Array.isArray(parsed) ? parsed : 'faults' in parsed ? parsed.faults : [parsed];
    return json(201, { faults: specs.map((s) => deps.faults.inject(s)) });
  })
  .add('DELETE', '/_emulator/faults', ({ deps }) => {
    deps.faults.clear();
    return json(200, { faults: [] });
  })
  .add('DELETE', '/_emulator/faults/:id', ({ params, deps }) =>
    deps.faults.remove(params.id ?? '') ? json(200, { removed: params.id }) : gatewayReplies.notFound('No such fault'),
  )
  .add('POST', '/_emulator/reset', ({ deps }) => {
    deps.reset();
    return json(200, { reset: true });
  })
  .add('GET', '/_emulator/requests', ({ deps }) => json(200, { requests: deps.requests }))
  .add('DELETE', '/_emulator/requests', ({ deps }) => {
    deps.requests.length = 0;
    return json(200, { requests: [] });
  })
  // PostHog approval policies per project (posthog/approvals/): gated flag writes open change requests or are denied.
  .add('POST', '/_emulator/projects/:id/approval-policy', ({ params, body, deps }) => {
    const project = deps.state.project(Number(params.id));
    if (!project) return gatewayReplies.notFound('No such project');
    const p = approvalPolicyBody.parse(body ?? {});
    setApprovalPolicy(project, { mode: p.mode, actions: p.actions, flagIds: p.flag_ids, approvers: p.approvers, reason: p.reason });
    return json(201, { policy: p });
  })
  .add('DELETE', '/_emulator/projects/:id/approval-policy', ({ params, deps }) => {
    const project = deps.state.project(Number(params.id));
    if (!project) return gatewayReplies.notFound('No such project');
    setApprovalPolicy(project, null);
    return json(200, { policy: null });
  })
  .add('GET', '/_emulator/projects/:id/change-requests', ({ params, deps }) => {
    const project = deps.state.project(Number(params.id));
    if (!project) return gatewayReplies.notFound('No such project');
    return json(200, { results: changeRequestsOf(project) });
  })
  .add('POST', '/_emulator/projects/:id/feature_flags/:flagId/colleague-edit', ({ params, body, deps }) => {
    const project = deps.state.project(Number(params.id));
    if (!project) return gatewayReplies.notFound('No such project');
    const e = colleagueEditBody.parse(body ?? {});
    const edit = {
      by: e.by,
      ...(e.filters !== undefined && { filters: e.filters }),
      ...(e.name !== undefined && { name: e.name }),
      ...(e.active !== undefined && { active: e.active }),
    };
    return queueColleagueEdit(project, Number(params.flagId), edit) ? json(201, { queued: edit }) : gatewayReplies.notFound('No such flag');
  })
  .add('POST', '/_emulator/accounts/:id/members', ({ params, body, deps }) => {
    const account = deps.state.account(params.id ?? '');
    if (!account) return gatewayReplies.notFound('No such account');
    const m = memberBody.parse(body);
    addMember(account, {
      id: m.id,
      first_name: m.first_name,
      last_name: m.last_name,
      email: m.email,
      ...(m.level !== undefined && { level: m.level }),
    });
    return json(201, { member: m });
  })
  .add('POST', '/_emulator/accounts/:id/roles', ({ params, body, deps }) => {
    const account = deps.state.account(params.id ?? '');
    if (!account) return gatewayReplies.notFound('No such account');
    const r = roleBody.parse(body);
    return json(201, { role: addRole(account, r.id === undefined ? { name: r.name } : { id: r.id, name: r.name }) });
  })
  .add('POST', '/_emulator/connections/:id/grant', ({ params, body, deps }) => {
    const connection = deps.state.connection(params.id ?? '');
    if (!connection) return gatewayReplies.notFound('Connection not found');
    deps.state.expireGrant(connection.connection_id, grantBody.parse(body).expired);
    return json(200, { connection_id: connection.connection_id, grant_expired: connection.grantExpired });
  });

export function handleControl(method: string, path: string, query: URLSearchParams, rawBody: string, deps: ControlDeps): Reply {
  const match = router.match(method, path);
  if (match.kind !== 'found') return gatewayReplies.notFound('Unknown emulator endpoint');
  try {
    const body = rawBody.trim() === '' ? undefined : (JSON.parse(rawBody) as unknown);
    return match.handler({ params: match.params, query, body, deps });
  } catch (error) {
    if (error instanceof SyntaxError) return gatewayReplies.badRequest('Body is not valid JSON');
    if (error instanceof ZodError) return json(400, { error: { code: 'BAD_REQUEST', message: 'Invalid body', issues: error.issues } });
    throw error;
  }
}

/** The page Maton's connect URL would show; opening it completes the (pretend) OAuth dance. */
function authorize({ query, deps }: ControlRequest): Reply {
  const connection = deps.state.connectionByToken(query.get('session_token') ?? '');
  if (!connection)
    return html(404, page('Link expired', 'This connection link is unknown or was deleted. Create a new connection and try again.'));
  if (connection.status === 'ACTIVE')
    return html(200, page('Already connected', 'This PostHog connection is already active. You can close this tab.'));
  const account = query.get('account') ?? undefined;
  deps.state.authorize(connection, { ...(account !== undefined && { account }), deny: query.get('result') === 'deny' });
  if (connection.status === 'FAILED') return html(200, page('Connection failed', 'Authorization was denied. You can close this tab.'));
  const org = deps.state.accountOf(connection.connection_id)?.organization.name ?? 'PostHog';
  return html(200, page('Connected', `Connected to PostHog (${escapeHtml(org)}), you can close this tab.`));
}

function page(title: string, message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;margin:4rem auto;max-width:32rem"><h1>${title}</h1><p>${message}</p></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
