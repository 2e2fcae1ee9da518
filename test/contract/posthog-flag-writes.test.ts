/**
 * Contract: how PostHog answers feature flag writes, read from its source, checked against the emulator over HTTP.
 * - posthog/api/feature_flag.py, FeatureFlagSerializer.update() and _get_conflicting_changes(): a stale edit is refused
 *   with 409 Conflict only when the request carries `version` and `original_flag`; every write bumps `version`.
 * - posthog/api/feature_flag.py, update() / raise_if_flag_has_dependents() / _find_disabled_dependencies(): 400 refusals
 *   for disabling (or deleting) a flag active flags depend on, enabling one that depends on disabled flags, deleting a
 *   flag in use with early access features or linked to a running experiment.
 * - posthog/approvals/decorators.py, approval_gate + _result_to_response() / _result_to_exception(); policies.py
 *   PolicyEngine.evaluate (required_approvers = approver_config): 409 approval_required, 409 change_request_pending,
 *   403 PermissionDenied when the policy denies.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, ph, start } from '../emulator/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await start();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(async () => {
  emulator.reset();
  await fetch(`${emulator.url}/_emulator/projects/1001/approval-policy`, { method: 'DELETE' });
});

const FLAGS = '/api/projects/1001/feature_flags/';
const idOf = (key: string) => emulator.state.flag(1001, key)!.id;
const get = async (key: string) => (await call(emulator, ph(`${FLAGS}${idOf(key)}/`))).body;
const patch = (key: string, body: unknown) => call(emulator, ph(`${FLAGS}${idOf(key)}/`), { method: 'PATCH', body });
const policy = (body: unknown) =>
  fetch(`${emulator.url}/_emulator/projects/1001/approval-policy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('FeatureFlagSerializer.update(): stale edits (version + original_flag)', () => {
  it('bumps version on every write', async () => {
    const before = await get('ai-insights');
    const after = (await patch('ai-insights', { name: 'renamed' })).body;
    expect(after.version).toBe(before.version + 1);
  });

  it('refuses with 409 conflict when a field the client changes was changed by someone else since it read the flag', async () => {
    const read = await get('ai-insights');
    expect((await patch('ai-insights', { filters: { groups: [{ rollout_percentage: 30 }] } })).status).toBe(200);
    const stale = await patch('ai-insights', {
      filters: { groups: [{ rollout_percentage: 50 }] },
      version: read.version,
      original_flag: read,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'conflict' });
    expect(stale.body.detail).toMatch(/^The feature flag was updated by .* since you started editing it\. Please refresh and try again\.$/);
    expect(emulator.state.flag(1001, 'ai-insights')!.filters.groups).toMatchObject([{ rollout_percentage: 30 }]);
  });

  it('lets the write win without version/original_flag, and when the fields do not overlap', async () => {
    const read = await get('ai-insights');
    await patch('ai-insights', { filters: { groups: [{ rollout_percentage: 30 }] } });
    expect((await patch('ai-insights', { active: false, version: read.version, original_flag: read })).status).toBe(200);
    expect((await patch('ai-insights', { filters: { groups: [{ rollout_percentage: 50 }] } })).status).toBe(200);
  });
});

describe('FeatureFlagSerializer.update(): refusals PostHog explains (400, detail)', () => {
  async function dependent(): Promise<void> {
    const res = await call(emulator, ph(FLAGS), {
      body: {
        key: 'dark-mode-extras',
        filters: {
          groups: [
            {
              properties: [{ key: String(idOf('dark-mode')), type: 'flag', value: 'true', operator: 'flag_evaluates_to' }],
              rollout_percentage: 100,
            },
          ],
        },
      },
    });
    expect(res.status).toBe(201);
  }

  it('raise_if_flag_has_dependents: disabling or deleting a flag active flags depend on', async () => {
    await dependent();
    const off = await patch('dark-mode', { active: false });
    expect(off.status).toBe(400);
    expect(off.body).toMatchObject({ type: 'validation_error', attr: null });
    expect(off.body.detail).toBe(
      `Cannot disable this feature flag because other flags depend on it: dark-mode-extras (ID: ${idOf('dark-mode-extras')}). Please update or disable the dependent flags first.`,
    );
    expect((await patch('dark-mode', { deleted: true })).body.detail).toMatch(
      /^Cannot delete this feature flag because other flags depend on it/,
    );
  });

  it('_find_disabled_dependencies: enabling a flag that depends on a disabled flag', async () => {
    await dependent();
    await patch('dark-mode-extras', { active: false });
    await patch('dark-mode', { active: false });
    const on = await patch('dark-mode-extras', { active: true });
    expect(on.status).toBe(400);
    expect(on.body.detail).toBe(
      `Cannot enable this feature flag because it depends on disabled flags: dark-mode (ID: ${idOf('dark-mode')}). Please enable the dependency flags first.`,
    );
  });

  it('deleting a flag in use with early access features', async () => {
    const eaf = await call(emulator, ph('/api/projects/1001/early_access_feature/'), {
      body: { name: 'Beta', feature_flag_id: idOf('ai-insights') },
    });
    expect(eaf.status).toBe(201);
    const refused = await patch('ai-insights', { deleted: true });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toBe(
      'Cannot delete a feature flag that is in use with early access features. Please delete the early access feature before deleting the flag.',
    );
  });

  it('deleting a flag linked to a running experiment (drafts and stopped ones do not block)', async () => {
    const running = await patch('new-onboarding-flow', { deleted: true });
    expect(running.status).toBe(400);
    expect(running.body.detail).toMatch(
      /^Cannot delete a feature flag that is linked to running experiment\(s\): "New onboarding flow" \(ID: \d+\)\. Please stop the experiment\(s\) before deleting the flag\.$/,
    );
    expect((await patch('homepage-hero-copy', { deleted: true })).status).toBe(200);
  });
});

describe('approval_gate on FeatureFlagSerializer.update (feature_flag.enable|disable|update)', () => {
  it('409 approval_required with the change request and required_approvers, then 409 change_request_pending', async () => {
    expect((await policy({ approvers: { users: [42], roles: [], quorum: 1 } })).status).toBe(201);
    const first = await patch('dark-mode', { active: false });
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({
      code: 'approval_required',
      status: 'approval_required',
      message: expect.any(String),
      resource_type: 'feature_flag',
      resource_id: String(idOf('dark-mode')),
      change_request_id: expect.any(String),
      change_request: { state: 'pending', action_key: 'feature_flag.disable' },
      required_approvers: { users: [42], roles: [], quorum: 1 },
    });
    expect(emulator.state.flag(1001, 'dark-mode')!.active).toBe(true);
    const second = await patch('dark-mode', { active: false });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      code: 'change_request_pending',
      change_request_id: first.body.change_request_id,
      existing_change_request: { id: first.body.change_request_id },
    });
  });

  it('403 when the policy denies (serializer path: PermissionDenied)', async () => {
    await policy({ mode: 'deny', reason: 'frozen' });
    const denied = await patch('dark-mode', { active: false });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'permission_denied', detail: 'This action is not allowed by approval policy: frozen' });
  });

  it('only the gated actions and flags: a policy on enable lets a disable through', async () => {
    await policy({ actions: ['feature_flag.enable'] });
    expect((await patch('dark-mode', { active: false })).status).toBe(200);
    expect((await patch('dark-mode', { active: true })).status).toBe(409);
  });
});
