/**
 * PostHog's approval policies (posthog/approvals/), per project: a switch the control API sets, and the change requests a
 * gated write opens. Read from PostHog's source:
 * - decorators.py `approval_gate`: on a serializer (FeatureFlagSerializer.update is gated with
 *   `feature_flag.enable|disable|update`) the result goes through `_result_to_exception`; the 409 bodies are those of
 *   `_result_to_response`: `{code: "approval_required", status, message, resource_type, resource_id, change_request_id,
 *   change_request, required_approvers}` and, when one is already open for the same action and object,
 *   `{code: "change_request_pending", error, resource_type, resource_id, change_request_id, existing_change_request}`.
 * - A policy that denies: drf PermissionDenied "This action is not allowed by approval policy: <reason>" (serializer
 *   path), i.e. 403 `{type: "authentication_error", code: "permission_denied", detail}`.
 * - policies.py `PolicyEngine.evaluate`: `required_approvers` is the policy's approver_config `{users, roles, quorum}`.
 */
import { randomUUID } from 'node:crypto';
import { userBasic } from '../factories.js';
import { isoTime, json, ReplyError } from '../http.js';
import type { FeatureFlag, ProjectData } from '../model.js';
import type { ProjectContext } from './context.js';

export type FlagActionKey = 'feature_flag.enable' | 'feature_flag.disable' | 'feature_flag.update';

export interface ApprovalPolicy {
  /** `require_approval`: a change request is opened; `deny`: refused outright. */
  mode: 'require_approval' | 'deny';
  /** Which actions are gated; default all three flag actions. */
  actions: FlagActionKey[];
  /** Only these flags (by id); null: every flag of the project. */
  flagIds: number[] | null;
  approvers: { users: number[]; roles: string[]; quorum: number };
  /** The deny reason. */
  reason: string;
}

export type ChangeRequest = Record<string, unknown> & { id: string; action_key: string; resource_id: string; state: string };

// Keyed by the project's data: a reset replaces it, so policies and change requests go with the seed.
const policies = new WeakMap<ProjectData, ApprovalPolicy>();
const requests = new WeakMap<ProjectData, ChangeRequest[]>();

export function setApprovalPolicy(data: ProjectData, policy: ApprovalPolicy | null): void {
  if (policy) policies.set(data, policy);
  else policies.delete(data);
}

export function changeRequestsOf(data: ProjectData): ChangeRequest[] {
  let list = requests.get(data);
  if (!list) {
    list = [];
    requests.set(data, list);
  }
  return list;
}

/** The action a flag PATCH is, as PostHog's action classes detect it: an active flip enables/disables, anything else updates. */
function flagActionOf(flag: FeatureFlag, body: Record<string, unknown>): FlagActionKey {
  if (typeof body.active === 'boolean' && body.active !== flag.active) return body.active ? 'feature_flag.enable' : 'feature_flag.disable';
  return 'feature_flag.update';
}

/** Throws the gate's reply when the project's policy gates this flag write; returns when it passes through. */
export function gateFlagWrite(ctx: ProjectContext, flag: FeatureFlag, body: Record<string, unknown>): void {
  const policy = policies.get(ctx.data);
  if (!policy) return;
  const action = flagActionOf(flag, body);
  if (!policy.actions.includes(action)) return;
  if (policy.flagIds && !policy.flagIds.includes(flag.id)) return;
  if (policy.mode === 'deny') {
    throw new ReplyError(
      json(403, {
        type: 'authentication_error',
        code: 'permission_denied',
        detail: `This action is not allowed by approval policy: ${policy.reason}`,
        attr: null,
      }),
    );
  }
  const list = changeRequestsOf(ctx.data);
  const resourceId = String(flag.id);
  const existing = list.find(
    (r) => r.action_key === action && r.resource_id === resourceId && (r.state === 'pending' || r.state === 'approved'),
  );
  if (existing) {
    throw new ReplyError(
      json(409, {
        code: 'change_request_pending',
        error: 'A pending approval request already exists for this action',
        resource_type: 'feature_flag',
        resource_id: resourceId,
        change_request_id: existing.id,
        existing_change_request: existing,
      }),
    );
  }
  const now = isoTime(ctx.now);
  const { version: _v, original_flag: _o, ...gated } = body;
  const changeRequest: ChangeRequest = {
    id: randomUUID(),
    action_key: action,
    action_version: 1,
    resource_type: 'feature_flag',
    resource_id: resourceId,
    intent: { gated_changes: gated, http_method: ctx.method },
    intent_display: { flag_key: flag.key },
    policy_snapshot: { ...policy.approvers, allow_self_approve: false },
    validation_status: 'valid',
    validation_errors: null,
    validated_at: now,
    state: 'pending',
    created_by: userBasic(ctx.account.user),
    applied_by: null,
    created_at: now,
    updated_at: now,
    expires_at: isoTime(new Date(ctx.now.getTime() + 14 * 86_400_000)),
    applied_at: null,
    apply_error: null,
    result_data: null,
    approvals: [],
    can_approve: false,
    can_cancel: true,
    is_requester: true,
    user_decision: null,
  };
  list.push(changeRequest);
  throw new ReplyError(
    json(409, {
      code: 'approval_required',
      status: 'approval_required',
      message: 'A change request has been created and is pending approval.',
      resource_type: 'feature_flag',
      resource_id: resourceId,
      change_request_id: changeRequest.id,
      change_request: changeRequest,
      required_approvers: policy.approvers,
    }),
  );
}
