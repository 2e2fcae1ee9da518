/**
 * Contract: how PostHog lists an organization's members and roles (Hogbot names a change request's approvers with
 * them), read from its source, checked against the emulator over HTTP.
 * - posthog/api/organization_member.py, OrganizationMemberViewSet (list; default limit/offset pagination) with
 *   OrganizationMemberSerializer: `{id, user: UserBasicSerializer {id, uuid, first_name, last_name, email, ...},
 *   membership_id, user_id, user_first_name, user_email, level, joined_at, updated_at}`; `@current` is the caller's
 *   organization, another organization's id is 404.
 * - ee/api/rbac/role.py, RoleViewSet (ModelViewSet, paginated) with RoleSerializer: `{id (uuid), name, created_at,
 *   created_by, members, is_default}`.
 * - posthog/approvals/policies.py approver_config `users` are user ids (`user.id`), `roles` role ids (`role.id`).
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
beforeEach(() => {
  emulator.reset();
});

const control = (path: string, body: unknown) =>
  fetch(`${emulator.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('OrganizationMemberViewSet (posthog/api/organization_member.py)', () => {
  it('lists members with a nested UserBasicSerializer user and the deprecated flat fields, paginated', async () => {
    expect(
      (await control('/accounts/acme/members', { id: 42, first_name: 'Grace', last_name: 'Hopper', email: 'grace@acme.com' })).status,
    ).toBe(201);
    const res = await call(emulator, ph('/api/organizations/@current/members/'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 2, next: null });
    const grace = res.body.results.find((m: { user: { id: number } }) => m.user.id === 42);
    expect(grace).toMatchObject({
      user: { id: 42, uuid: expect.any(String), first_name: 'Grace', last_name: 'Hopper', email: 'grace@acme.com' },
      user_id: 42,
      user_first_name: 'Grace',
      user_email: 'grace@acme.com',
      level: 1,
    });
    expect(typeof grace.id).toBe('string');
    expect(grace.membership_id).toBe(grace.id);
    const owner = res.body.results.find((m: { level: number }) => m.level === 15);
    expect(owner.user.email).toBe('ana@acme.com');
  });

  it('honours limit/offset and is 404 for an organization that is not the caller’s', async () => {
    await control('/accounts/acme/members', { id: 42, email: 'grace@acme.com' });
    const page = await call(emulator, ph('/api/organizations/@current/members/?limit=1'));
    expect(page.body.results).toHaveLength(1);
    expect(page.body.next).toContain('offset=1');
    expect((await call(emulator, ph('/api/organizations/not-ours/members/'))).status).toBe(404);
  });
});

describe('RoleViewSet (ee/api/rbac/role.py)', () => {
  it('lists roles with a uuid id and a name, paginated', async () => {
    const created = ((await (await control('/accounts/acme/roles', { name: 'Release managers' })).json()) as { role: { id: string } }).role;
    const res = await call(emulator, ph('/api/organizations/@current/roles/'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      count: 1,
      next: null,
      results: [{ id: created.id, name: 'Release managers', members: [], is_default: false }],
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.results[0].created_by).toMatchObject({ email: 'ana@acme.com' });
  });
});
