/**
 * PostHog's approval gate answers (posthog/approvals/decorators.py `_result_to_response`) classified at the client
 * boundary: 409 approval_required / change_request_pending carry no drf `type` and must not read as a gateway error or a
 * bare "HTTP 409"; the deny body `{error, reason}` keeps its reason.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { UpstreamError } from '../../src/posthog/errors.js';
import { isStaleWrite } from '../../src/posthog/errors.js';
import { harness, rejection } from './helpers/gateway.js';
import type { TestServer } from './helpers/server.js';
import { json, startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

async function patchError(respond: (res: ServerResponse) => void): Promise<UpstreamError> {
  server.handle = (_req, res) => respond(res);
  const client = harness(server.baseUrl, { maxRetries: 0 }).gateway.posthog('conn-1');
  return rejection(client.request('PATCH', '/api/projects/1/feature_flags/7/', z.unknown(), { body: { active: false } }));
}

const changeRequest = {
  id: 'cr-123',
  state: 'pending',
  created_by: { email: 'ana@acme.example' },
  policy_snapshot: { users: [42], roles: ['r-1'], quorum: 2 },
};

describe('approval gate bodies', () => {
  it('409 approval_required: the change request, its approvers, and the message', async () => {
    const e = await patchError((res) =>
      json(res, 409, {
        code: 'approval_required',
        status: 'approval_required',
        message: 'A change request has been created and is pending approval.',
        resource_type: 'feature_flag',
        resource_id: '7',
        change_request_id: 'cr-123',
        change_request: changeRequest,
        required_approvers: { users: [42, 99], roles: [], quorum: 1 },
      }),
    );
    expect(e).toMatchObject({
      kind: 'posthog_approval_pending',
      status: 409,
      code: 'approval_required',
      detail: 'A change request has been created and is pending approval.',
    });
    expect(e.approval).toEqual({
      state: 'required',
      changeRequestId: 'cr-123',
      approvers: { users: [42, 99], roles: [], quorum: 1 },
      requestedBy: 'ana@acme.example',
    });
  });

  it('409 change_request_pending: the existing request, approvers from its policy snapshot', async () => {
    const e = await patchError((res) =>
      json(res, 409, {
        code: 'change_request_pending',
        error: 'A pending approval request already exists for this action',
        change_request_id: 'cr-123',
        existing_change_request: changeRequest,
      }),
    );
    expect(e.kind).toBe('posthog_approval_pending');
    expect(e.approval).toMatchObject({
      state: 'pending',
      changeRequestId: 'cr-123',
      approvers: { users: [42], roles: ['r-1'], quorum: 2 },
    });
  });

  it('403 {error, reason} (viewset path): the reason is kept', async () => {
    const e = await patchError((res) =>
      json(res, 403, { error: 'This action is not allowed by approval policy', reason: 'Flags are frozen' }),
    );
    expect(e).toMatchObject({ kind: 'posthog_permission', detail: 'This action is not allowed by approval policy: Flags are frozen' });
  });

  it('409 conflict (stale flag edit) is a stale write, not an approval', async () => {
    const e = await patchError((res) =>
      json(res, 409, {
        type: 'invalid_request',
        code: 'conflict',
        detail: 'The feature flag was updated by x since you started editing it.',
        attr: null,
      }),
    );
    expect(e.kind).toBe('posthog_other');
    expect(isStaleWrite(e)).toBe(true);
  });
});
